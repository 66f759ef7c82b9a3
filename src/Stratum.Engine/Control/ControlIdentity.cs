// ControlIdentity: the build and host strings ntpd reports as the system variables version,
// processor and system (ntpd 4.2.8 ctl_putsys CS_VERSION, CS_PROCESSOR, CS_SYSTEM). The daemon
// passes the host's values; tests set fixed ones so golden outputs do not depend on the machine.
using System.Runtime.InteropServices;

namespace Stratum.Engine.Control;

/// <summary>Version, processor and operating system strings for READVAR.</summary>
public sealed record ControlIdentity(string Version, string Processor, string System)
{
    public const string DefaultVersion = "ntpd Stratum 0.1.0 (ntpd 4.2.8 compatible)";

    /// <summary>This process: architecture as uname -m words it, OS as "Linux/&lt;kernel&gt;" when known.</summary>
    public static ControlIdentity ForCurrentProcess()
    {
        string processor = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            Architecture.Arm => "armv7l",
            var other => other.ToString().ToLowerInvariant(),
        };
        string operatingSystem = OperatingSystem.IsLinux() ? "Linux/" + Environment.OSVersion.Version.ToString(3) : Environment.OSVersion.Platform.ToString();
        return new ControlIdentity(DefaultVersion, processor, operatingSystem);
    }
}

// HostIdentity: the processor and operating system strings ntpd reports as the system variables
// processor and system (ntpq rv), read from this machine: the architecture as `uname -m` words it and
// "Linux/<kernel version>". The Engine only carries the ControlIdentity it is given; reading the host
// is the host's part.
using System.Runtime.InteropServices;
using Stratum.Engine.Control;

namespace Stratum.Platform.Hosting;

public static class HostIdentity
{
    /// <summary>This process's identity for mode 6: version, processor, system.</summary>
    public static ControlIdentity Current()
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
        return new ControlIdentity(ControlIdentity.DefaultVersion, processor, operatingSystem);
    }
}

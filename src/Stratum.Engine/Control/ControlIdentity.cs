// ControlIdentity: the build and host strings ntpd reports as the system variables version,
// processor and system (ntpd 4.2.8 ctl_putsys CS_VERSION, CS_PROCESSOR, CS_SYSTEM). The daemon
// passes the host's values (Platform's HostIdentity); tests set fixed ones so golden outputs do not
// depend on the machine. Nothing here reads the machine.
namespace Stratum.Engine.Control;

/// <summary>Version, processor and operating system strings for READVAR.</summary>
public sealed record ControlIdentity(string Version, string Processor, string System)
{
    public const string DefaultVersion = "ntpd Stratum 0.1.0 (ntpd 4.2.8 compatible)";

    /// <summary>Before the host says: the version, and "unknown" for the machine (the host reads it: HostIdentity).</summary>
    public static ControlIdentity Unknown { get; } = new(DefaultVersion, "unknown", "unknown");
}

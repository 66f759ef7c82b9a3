// SystemVariables: the system variables of RFC 5905 §11.2 / appendix A.1.2 (s.leap, s.stratum,
// s.precision, s.rootdelay, s.rootdisp, s.refid, s.reftime, s.p) that the server copies into every
// reply. Owned by the event loop thread; the server reads it on every request.
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Engine.SystemState;

/// <summary>The daemon's view of its own synchronization, served to clients.</summary>
public sealed class SystemVariables
{
    /// <summary>The refid a server synchronized at <paramref name="stratum"/> to a source announces (RFC 5905
    /// §7.3, ntpd's clock_update): at stratum 1 the reference clock's own code (<paramref name="sourceCode"/>:
    /// GPS, PPS …); above it the system peer's IPv4 address — 127.127.1.0 for the local clock driver — or,
    /// for IPv6, the first four octets of its address's MD5 hash.</summary>
    public static ReferenceId ReferenceIdFor(byte stratum, ReferenceId sourceCode, System.Net.IPAddress systemPeer)
    {
        ArgumentNullException.ThrowIfNull(systemPeer);
        return stratum <= 1 ? sourceCode : ReferenceId.FromAddress(systemPeer);
    }

    /// <summary>RFC 5905 MAXSTRAT: stratum 16 means unsynchronized (sent as 0 on the wire).</summary>
    public const byte UnsynchronizedStratum = 16;

    /// <summary>RFC 5905 PHI: frequency tolerance, 15 ppm, by which dispersion grows per second.</summary>
    public const double FrequencyTolerance = 15e-6;

    public SystemVariables(sbyte precision)
    {
        Precision = precision;
    }

    public LeapIndicator Leap { get; private set; } = LeapIndicator.Unsynchronized;

    public byte Stratum { get; private set; } = UnsynchronizedStratum;

    /// <summary>log2 seconds of the clock reading precision, measured at start.</summary>
    public sbyte Precision { get; }

    public double RootDelay { get; private set; }

    public double RootDispersion { get; private set; }

    public ReferenceId ReferenceId { get; private set; } = KissCode.Initializing.Id;

    public NtpTimestamp ReferenceTime { get; private set; }

    /// <summary>Monotonic seconds at which <see cref="ReferenceTime"/> was set, for dispersion growth.</summary>
    public double ReferenceMonoSeconds { get; private set; }

    /// <summary>Name of the system peer as ntpq shows it ("LOCAL(0)", "10.0.0.1"), or null.</summary>
    public string? SystemPeerName { get; private set; }

    /// <summary>`leapsmearinterval` (seconds), 0 when off; while on, served packets never warn of a leap.</summary>
    public double LeapSmearInterval { get; set; }

    /// <summary>The planned or running leap smear (LeapSmear), or null.</summary>
    public LeapSmearWindow? LeapSmearWindow { get; set; }

    /// <summary>The leap indicator served to clients: <see cref="Leap"/>, without a warning while leap smear is on.</summary>
    public LeapIndicator ServedLeap =>
        LeapSmearInterval > 0 && Leap is LeapIndicator.InsertSecond or LeapIndicator.DeleteSecond ? LeapIndicator.NoWarning : Leap;

    public bool IsSynchronized => Leap != LeapIndicator.Unsynchronized && Stratum < UnsynchronizedStratum;

    /// <summary>Stratum as sent on the wire: 16 (unsynchronized) becomes 0 (RFC 5905 §7.3).</summary>
    public byte WireStratum => Stratum >= UnsynchronizedStratum ? (byte)0 : Stratum;

    /// <summary>Root dispersion grown by PHI since the last update (RFC 5905 §11.2, A.5.5.2).</summary>
    public double RootDispersionAt(double monoSeconds) =>
        RootDispersion + (FrequencyTolerance * Math.Max(0, monoSeconds - ReferenceMonoSeconds));

    /// <summary>Adopts a system peer's values (RFC 5905 §11.2.2 clock_update).</summary>
    public void Update(LeapIndicator leap, byte stratum, ReferenceId referenceId, double rootDelay, double rootDispersion,
        LoopTime now, string systemPeerName)
    {
        Leap = leap;
        Stratum = Math.Min(stratum, UnsynchronizedStratum);
        ReferenceId = referenceId;
        RootDelay = rootDelay;
        RootDispersion = rootDispersion;
        ReferenceTime = now.Real;
        ReferenceMonoSeconds = now.MonoSeconds;
        SystemPeerName = systemPeerName;
    }

    /// <summary>Returns to the unsynchronized state (leap alarm, stratum 16, refid INIT).</summary>
    public void Unsynchronize()
    {
        Leap = LeapIndicator.Unsynchronized;
        Stratum = UnsynchronizedStratum;
        ReferenceId = KissCode.Initializing.Id;
        SystemPeerName = null;
    }
}

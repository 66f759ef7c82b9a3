// One decoded NTP reply as the interop tests' own probe saw it (RFC 5905 §7.3 header fields), with
// the on-wire offset and delay computed from T1..T4 (§8: theta = ((T2-T1)+(T3-T4))/2,
// delta = (T4-T1)-(T3-T2)). Decoded independently of Stratum.Core on purpose: the interop tests
// check our daemon against code it does not share.
using System.Globalization;

namespace Stratum.Interop.Tests.Harness;

public sealed record NtpReply(
    int LeapIndicator,
    int Version,
    int Mode,
    int Stratum,
    int Poll,
    int Precision,
    double RootDelay,
    double RootDispersion,
    uint ReferenceId,
    ulong ReferenceTime,
    ulong OriginTime,
    ulong ReceiveTime,
    ulong TransmitTime,
    ulong DestinationTime,
    int Length)
{
    /// <summary>Leap indicator 3 means "clock not synchronised".</summary>
    public const int LeapAlarm = 3;

    /// <summary>Offset theta in seconds: positive when the server is ahead of us.</summary>
    public double Offset => (Difference(ReceiveTime, OriginTime) + Difference(TransmitTime, DestinationTime)) / 2;

    /// <summary>Round-trip delay delta in seconds, less the server's own processing time.</summary>
    public double Delay => Difference(DestinationTime, OriginTime) - Difference(TransmitTime, ReceiveTime);

    /// <summary>A server a client may synchronise to: LI not 3, stratum 1..15.</summary>
    public bool IsSynchronised => LeapIndicator != LeapAlarm && Stratum is >= 1 and <= 15;

    /// <summary>Four ASCII letters for stratum 0/1 (kiss code, source), else dotted IPv4 (RFC 5905 §7.3).</summary>
    public string ReferenceIdText => Stratum <= 1
        ? new string([.. BitConverter.GetBytes(ReferenceId).Reverse().Select(b => b is >= 0x20 and < 0x7f ? (char)b : '.')])
        : string.Join('.', BitConverter.GetBytes(ReferenceId).Reverse().Select(b => b.ToString(CultureInfo.InvariantCulture)));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"LI={LeapIndicator} VN={Version} mode={Mode} stratum={Stratum} poll={Poll} precision={Precision} " +
        $"rootdelay={RootDelay:F6} rootdisp={RootDispersion:F6} refid=0x{ReferenceId:X8} ({ReferenceIdText}) " +
        $"reftime=0x{ReferenceTime:X16} offset={Offset:F6} delay={Delay:F6} length={Length}");

    /// <summary>A - B in seconds for two 32.32 timestamps, era-safe while |A - B| &lt; 68 years.</summary>
    public static double Difference(ulong a, ulong b) => unchecked((long)(a - b)) / 4294967296.0;
}

// PollExponent: a poll interval as a power of two seconds (RFC 5905 §7.3 "Poll", §14 minpoll and
// maxpoll). ntpd accepts minpoll/maxpoll 3..17 from the config (4..17 in ntpd 4.2.8, 3 as a
// lower bound for iburst-like behaviour); the wire field is a signed byte.
namespace Stratum.Core.Time;

/// <summary>log2 of an interval in seconds, as carried in the packet Poll and Precision fields.</summary>
public readonly record struct PollExponent(sbyte Value) : IComparable<PollExponent>
{
    /// <summary>Smallest poll exponent ntpd accepts for minpoll (RFC 5905 MINPOLL is 4; ntpd allows 3).</summary>
    public const sbyte MinConfigurable = 3;

    /// <summary>Largest poll exponent (RFC 5905 MAXPOLL, 36 h).</summary>
    public const sbyte MaxConfigurable = 17;

    public static PollExponent DefaultMinPoll => new(6);

    public static PollExponent DefaultMaxPoll => new(10);

    public double Seconds => Math.ScaleB(1.0, Value);

    public static PollExponent Clamp(int value, sbyte min, sbyte max) => new((sbyte)Math.Clamp(value, min, max));

    public int CompareTo(PollExponent other) => Value.CompareTo(other.Value);

    public static bool operator <(PollExponent left, PollExponent right) => left.Value < right.Value;

    public static bool operator >(PollExponent left, PollExponent right) => left.Value > right.Value;

    public static bool operator <=(PollExponent left, PollExponent right) => left.Value <= right.Value;

    public static bool operator >=(PollExponent left, PollExponent right) => left.Value >= right.Value;
}

// LeapEvent: a leap second still to come, as the Engine needs it to arm the kernel and set the
// leap bits it serves: the instant the new TAI-UTC takes effect (the UTC midnight after the leap
// second), whether a second is inserted or deleted just before it, and TAI-UTC afterwards.
namespace Stratum.Core.Leap;

/// <summary>A scheduled leap second.</summary>
/// <param name="SecondsSince1900">00:00:00 UTC right after the leap second, in NTP seconds.</param>
/// <param name="Kind">Insert (23:59:60) or delete (no 23:59:59).</param>
/// <param name="TaiOffsetAfter">TAI-UTC from <paramref name="SecondsSince1900"/> on.</param>
public readonly record struct LeapEvent(long SecondsSince1900, LeapKind Kind, int TaiOffsetAfter);

// LeapSchedule: a leap second is armed in the kernel only on the last UTC day of its month, announced
// from the sources' vote or from a leap-seconds.list, and never from an expired list.
using Stratum.Core.Leap;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.SystemState;

public class LeapScheduleTests
{
    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static NtpTimestamp At(int year, int month, int day, int hour = 12) =>
        NtpTimestamp.FromUnixNanoseconds((new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100);

    private static long Since1900(int year, int month, int day) => (long)(new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc) - NtpEpoch).TotalSeconds;

    // A table with 37 s since 2017 and an insertion at the start of July 2026 (37 -> 38), valid to 2027.
    private static LeapSecondTable Table(long expiry) => new(
        Since1900(2025, 1, 1),
        expiry,
        [new LeapSecondEntry(Since1900(2017, 1, 1), 37, 1), new LeapSecondEntry(Since1900(2026, 7, 1), 38, 2)],
        isHashVerified: true);

    [Theory]
    [InlineData(2026, 6, 30, true)]
    [InlineData(2026, 6, 29, false)]
    [InlineData(2026, 12, 31, true)]
    [InlineData(2028, 2, 29, true)]
    [InlineData(2028, 2, 28, false)]
    public void KernelLeap_OnlyOnTheMonthsLastDay(int year, int month, int day, bool armed)
    {
        LeapIndicator expected = armed ? LeapIndicator.InsertSecond : LeapIndicator.NoWarning;
        Assert.Equal(expected, LeapSchedule.KernelLeap(LeapIndicator.InsertSecond, At(year, month, day)));
        Assert.Equal(LeapIndicator.NoWarning, LeapSchedule.KernelLeap(LeapIndicator.NoWarning, At(year, month, day)));
    }

    [Fact]
    public void FromTable_AnnouncesDuringTheMonthOfTheLeapOnly()
    {
        LeapSecondTable table = Table(Since1900(2027, 1, 1));
        Assert.Equal(LeapIndicator.InsertSecond, LeapSchedule.FromTable(table, At(2026, 6, 1)));
        Assert.Equal(LeapIndicator.InsertSecond, LeapSchedule.FromTable(table, At(2026, 6, 30, 23)));
        Assert.Equal(LeapIndicator.NoWarning, LeapSchedule.FromTable(table, At(2026, 5, 31)));
        Assert.Equal(LeapIndicator.NoWarning, LeapSchedule.FromTable(table, At(2026, 7, 1)));
    }

    [Fact]
    public void FromTable_ExpiredTable_AnnouncesNothing()
    {
        LeapSecondTable table = Table(Since1900(2026, 6, 15));
        Assert.Equal(LeapIndicator.NoWarning, LeapSchedule.FromTable(table, At(2026, 6, 20)));
        Assert.Equal(LeapIndicator.NoWarning, LeapSchedule.FromTable(null, At(2026, 6, 20)));
    }

    [Fact]
    public void Combine_EitherSourceAnnounces()
    {
        Assert.Equal(LeapIndicator.InsertSecond, LeapSchedule.Combine(LeapIndicator.NoWarning, LeapIndicator.InsertSecond));
        Assert.Equal(LeapIndicator.DeleteSecond, LeapSchedule.Combine(LeapIndicator.DeleteSecond, LeapIndicator.NoWarning));
        Assert.Equal(LeapIndicator.NoWarning, LeapSchedule.Combine(LeapIndicator.NoWarning, LeapIndicator.NoWarning));
    }
}

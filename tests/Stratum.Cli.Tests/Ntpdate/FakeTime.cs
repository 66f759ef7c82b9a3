// FakeTime: the fake world's true time, which moves only when the fake network waits.
namespace Stratum.Cli.Tests.Ntpdate;

/// <summary>The fake world's clocks: true time in Unix nanoseconds.</summary>
internal sealed class FakeTime
{
    /// <summary>2023-11-23T07:40:00Z.</summary>
    public const long Start = 1_700_725_200L * 1_000_000_000;

    public long TrueNanoseconds { get; set; } = Start;
}

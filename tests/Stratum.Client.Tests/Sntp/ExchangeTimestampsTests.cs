// Offset and delay from T1..T4 (RFC 5905 §8): golden exchanges with exact binary fractions, the
// 2036 era rollover between T1 and T2, and a property over random clock errors and path delays.
using CsCheck;
using Stratum.Client.Sntp;
using Stratum.Core.Time;

namespace Stratum.Client.Tests.Sntp;

public class ExchangeTimestampsTests
{
    private const long NanosPerSecond = 1_000_000_000;

    // 2023-11-23T07:40:00Z as NTP seconds.
    private const uint BaseSeconds = 3_909_714_000;

    private static NtpTimestamp At(uint seconds, double fraction) =>
        NtpTimestamp.FromParts(seconds, (uint)(fraction * 4294967296.0));

    [Fact]
    public void Offset_ServerQuarterSecondAhead_SymmetricPath_IsQuarterSecond()
    {
        // Client behind by 0.25 s, 1/64 s each way, server holds the request 1/256 s.
        var t1 = At(BaseSeconds, 0.0);
        var t2 = At(BaseSeconds, 0.25 + 0.015625);
        var t3 = At(BaseSeconds, 0.25 + 0.015625 + 0.00390625);
        var t4 = At(BaseSeconds, 0.015625 + 0.00390625 + 0.015625);
        var exchange = new ExchangeTimestamps(t1, t2, t3, t4);

        Assert.Equal(0.25, exchange.Offset.TotalSeconds);
        Assert.Equal(0.03125, exchange.Delay.TotalSeconds);
    }

    [Fact]
    public void Offset_ServerBehind_IsNegative()
    {
        // Server 1.5 s behind; 0.125 s out, 0.0625 s back (asymmetry shows up as half its size).
        var t1 = At(BaseSeconds + 10, 0.0);
        var t2 = At(BaseSeconds + 8, 0.5 + 0.125);
        var t3 = At(BaseSeconds + 8, 0.5 + 0.125);
        var t4 = At(BaseSeconds + 10, 0.125 + 0.0625);
        var exchange = new ExchangeTimestamps(t1, t2, t3, t4);

        Assert.Equal(-1.5 + ((0.125 - 0.0625) / 2), exchange.Offset.TotalSeconds);
        Assert.Equal(0.1875, exchange.Delay.TotalSeconds);
    }

    [Fact]
    public void Offset_AcrossEraRollover_IsSmall()
    {
        // T1/T4 at the last second of era 0, T2/T3 just after the rollover (era 1 second 0).
        var t1 = At(uint.MaxValue, 0.5);
        var t2 = At(0, 0.5);
        var t3 = At(0, 0.5);
        var t4 = At(uint.MaxValue, 0.5);
        var exchange = new ExchangeTimestamps(t1, t2, t3, t4);

        Assert.Equal(1.0, exchange.Offset.TotalSeconds);
        Assert.Equal(0.0, exchange.Delay.TotalSeconds);
    }

    [Fact]
    public void OffsetAndDelay_AnyClockErrorAndPath_MatchTheModel()
    {
        // Local clock = true + error; one-way delays out/back; theta = -error + (out - back)/2.
        Gen.Select(Gen.Long[-100_000 * NanosPerSecond, 100_000 * NanosPerSecond], Gen.Long[0, NanosPerSecond], Gen.Long[0, NanosPerSecond], Gen.Long[0, 1_000_000])
            .Sample((error, outbound, inbound, processing) =>
            {
                long trueStart = 1_700_725_200L * NanosPerSecond;
                var exchange = new ExchangeTimestamps(
                    NtpTimestamp.FromUnixNanoseconds(trueStart + error),
                    NtpTimestamp.FromUnixNanoseconds(trueStart + outbound),
                    NtpTimestamp.FromUnixNanoseconds(trueStart + outbound + processing),
                    NtpTimestamp.FromUnixNanoseconds(trueStart + outbound + processing + inbound + error));
                double expectedOffset = (-error + ((outbound - inbound) / 2.0)) / 1e9;
                double expectedDelay = (outbound + inbound) / 1e9;
                return Math.Abs(exchange.Offset.TotalSeconds - expectedOffset) < 2e-9
                    && Math.Abs(exchange.Delay.TotalSeconds - expectedDelay) < 2e-9;
            }, iter: 20_000);
    }
}

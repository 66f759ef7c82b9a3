// Rate limits with a simulated clock (ntpd 4.2.8 accopt.html "discard" and the `limited`/`kod`
// flags): polite clients and iburst pass, a fast or too-close client is limited, KoDs are
// themselves limited to about one per average interval, leak replies keep a limited client at the
// permitted rate, sources without `limited` are never limited, and the control-query budgets.
using Stratum.Core.Config;
using Stratum.Engine.Access;

namespace Stratum.Engine.Tests.Access;

public class RateLimitTests
{
    private const long Second = LoopTime.NanosecondsPerSecond;
    private static readonly ClientAddress s_client = AccessTestConfig.Address("198.51.100.7", 123);

    private static AccessControl Access(RateLimitSettings? limits = null) =>
        new(AccessSettings.Default with { RateLimits = limits ?? RateLimitSettings.Default }, seed: 5);

    /// <summary>Sends <paramref name="count"/> requests <paramref name="spacing"/> seconds apart from t = 100 s; counts the outcomes.</summary>
    private static Dictionary<TimeAdmission, int> Run(AccessControl access, RestrictFlags flags, int count, double spacing, List<long>? servedAt = null)
    {
        var outcomes = new Dictionary<TimeAdmission, int>();
        for (int i = 0; i < count; i++)
        {
            long mono = (100 * Second) + (long)(i * spacing * Second);
            TimeAdmission admission = access.AdmitTimeRequest(s_client, flags, 0x23, mono, default);
            outcomes[admission] = outcomes.GetValueOrDefault(admission) + 1;
            if (admission is TimeAdmission.Serve or TimeAdmission.Leak or TimeAdmission.Kod)
            {
                servedAt?.Add(mono);
            }
        }

        return outcomes;
    }

    [Theory]
    [InlineData(64)]
    [InlineData(16)]
    [InlineData(8)]
    public void Limited_ClientAtOrAboveTheAverage_IsNeverLimited(double spacing)
    {
        Dictionary<TimeAdmission, int> outcomes = Run(Access(), RestrictFlags.Limited | RestrictFlags.Kod, 500, spacing);
        Assert.Equal(500, outcomes[TimeAdmission.Serve]);
    }

    [Fact]
    public void Limited_IburstEightPacketsTwoSecondsApart_AllServed()
    {
        Dictionary<TimeAdmission, int> outcomes = Run(Access(), RestrictFlags.Limited | RestrictFlags.Kod, 8, 2);
        Assert.Equal(8, outcomes[TimeAdmission.Serve]);
    }

    [Fact]
    public void Limited_OneRequestPerSecond_IsLimitedAfterItsBurstAllowance()
    {
        var served = new List<long>();
        Dictionary<TimeAdmission, int> outcomes = Run(Access(new RateLimitSettings(LeakReplies: false)), RestrictFlags.Limited, 120, 1, served);
        // The score gains 8 − 2 − 1 = 5 s per packet from 0 and the limit is 64 s: 13 served, then dark.
        Assert.Equal(13, outcomes[TimeAdmission.Serve]);
        Assert.Equal(107, outcomes[TimeAdmission.Drop]);
    }

    [Fact]
    public void Limited_RequestsCloserThanMinimum_AreLimitedAtOnce()
    {
        Dictionary<TimeAdmission, int> outcomes = Run(Access(new RateLimitSettings(LeakReplies: false)), RestrictFlags.Limited, 2, 0.4);
        Assert.Equal(1, outcomes[TimeAdmission.Serve]);
        Assert.Equal(1, outcomes[TimeAdmission.Drop]);
    }

    [Fact]
    public void LimitedKod_OnePerSecond_KodsAreThemselvesLimitedToAboutOnePerAverageInterval()
    {
        var kods = new List<long>();
        var access = Access(new RateLimitSettings(LeakReplies: false));
        for (int i = 0; i < 120; i++)
        {
            long mono = (100 * Second) + (i * Second);
            if (access.AdmitTimeRequest(s_client, RestrictFlags.Limited | RestrictFlags.Kod, 0x23, mono, default) == TimeAdmission.Kod)
            {
                kods.Add(mono);
            }
        }

        // After the first KoD the score is 72 s; it drains 1 s per packet and the next KoD waits
        // until it is under 64 again: one KoD every 9 s.
        Assert.InRange(kods.Count, 11, 13);
        for (int i = 1; i < kods.Count; i++)
        {
            Assert.True(kods[i] - kods[i - 1] >= 8 * Second, $"KoDs {i - 1} and {i} only {(kods[i] - kods[i - 1]) / 1e9} s apart");
        }
    }

    [Fact]
    public void LimitedKod_SubSecondFlood_GetsOneKodOnly()
    {
        // ntpd rounds intervals to whole seconds: a client faster than one packet per ½ s never
        // drains its score, so it gets a single KoD and then silence.
        Dictionary<TimeAdmission, int> outcomes = Run(Access(new RateLimitSettings(LeakReplies: false)), RestrictFlags.Limited | RestrictFlags.Kod, 600, 0.1);
        Assert.Equal(1, outcomes[TimeAdmission.Kod]);
        // Only the first: the second is already under the 2 s minimum.
        Assert.Equal(1, outcomes[TimeAdmission.Serve]);
    }

    [Fact]
    public void Limited_LeakReplies_KeepAFastClientAtThePermittedAverageRate()
    {
        var served = new List<long>();
        Dictionary<TimeAdmission, int> outcomes = Run(Access(), RestrictFlags.Limited, 1200, 0.1, served);
        // 120 s at 10/s: the initial allowance, then one leak per 8 s (2^average).
        Assert.InRange(outcomes[TimeAdmission.Leak], 13, 16);
        Assert.DoesNotContain(TimeAdmission.Kod, outcomes.Keys);
        List<long> leaks = served.Skip(outcomes[TimeAdmission.Serve]).ToList();
        for (int i = 1; i < leaks.Count; i++)
        {
            Assert.True(leaks[i] - leaks[i - 1] >= 8 * Second);
        }
    }

    [Fact]
    public void LimitedKod_KodCountsAsTheIntervalsReply_NoLeakRightAfterIt()
    {
        var access = Access();
        var outcomes = new List<TimeAdmission>();
        for (int i = 0; i < 300; i++)
        {
            outcomes.Add(access.AdmitTimeRequest(s_client, RestrictFlags.Limited | RestrictFlags.Kod, 0x23, (100 * Second) + (i * Second / 10), default));
        }

        int firstKod = outcomes.IndexOf(TimeAdmission.Kod);
        Assert.True(firstKod > 0);
        // Nothing but drops for the next 8 s (80 packets) after a KoD.
        Assert.All(outcomes.Skip(firstKod + 1).Take(79), o => Assert.Equal(TimeAdmission.Drop, o));
    }

    [Fact]
    public void NotLimited_FloodFromOneSource_IsAlwaysServed()
    {
        Dictionary<TimeAdmission, int> outcomes = Run(Access(), RestrictFlags.Kod | RestrictFlags.NoQuery, 1000, 0.01);
        Assert.Equal(1000, outcomes[TimeAdmission.Serve]);
    }

    [Fact]
    public void Limited_DiscardAverageAndMinimum_AreHonoured()
    {
        // average 5 (32 s), minimum 10 s: a client every 12 s passes minimum but gains 30 − 12 s per packet.
        var limits = RateLimitSettings.From(new DiscardOptions { AverageLog2Seconds = 5, MinimumSeconds = 10 }) with { LeakReplies = false };
        Dictionary<TimeAdmission, int> outcomes = Run(Access(limits), RestrictFlags.Limited, 40, 12);
        Assert.True(outcomes[TimeAdmission.Serve] is > 8 and < 40);
        Dictionary<TimeAdmission, int> tooClose = Run(Access(limits), RestrictFlags.Limited, 2, 5);
        Assert.Equal(1, tooClose[TimeAdmission.Drop]);
    }

    [Fact]
    public void Query_PerClientBudget_BurstThenSteadyRate()
    {
        var access = Access();
        int admitted = 0;
        // 1000 queries in 10 s from one client: 32 at once, then 8 per second.
        for (int i = 0; i < 1000; i++)
        {
            admitted += access.AdmitQuery(s_client, RestrictFlags.None, 0x16, (100 * Second) + (i * Second / 100), default) ? 1 : 0;
        }

        Assert.InRange(admitted, 32 + 79, 32 + 81);
    }

    [Fact]
    public void Query_TotalBudget_CapsManySources()
    {
        var access = Access();
        int admitted = 0;
        // 5000 sources, one query each, within 1 s: the total budget (1000 back to back, then 1000/s) caps them.
        for (int i = 0; i < 5000; i++)
        {
            admitted += access.AdmitQuery(ClientAddress.FromIPv4(0x0A000000u + (uint)i, 5000), RestrictFlags.None, 0x16, (100 * Second) + (i * Second / 5000), default) ? 1 : 0;
        }

        Assert.InRange(admitted, 1000 + 990, 1000 + 1001);
    }

    [Fact]
    public void DisableMonitor_NothingRecorded_ClientsServed()
    {
        AccessSettings settings = AccessTestConfig.Settings("disable monitor\nrestrict default kod nomodify");
        Assert.False(settings.Monitor);
        var access = new AccessControl(settings, seed: 5);

        Dictionary<TimeAdmission, int> outcomes = Run(access, RestrictFlags.Kod | RestrictFlags.NoModify, 50, 0.1);

        Assert.Equal(50, outcomes.GetValueOrDefault(TimeAdmission.Serve));
        Assert.Equal(0, access.Mru.Count);
    }

    [Fact]
    public void DisableMonitor_WithALimitedRestrictLine_KeepsTheListAndTheLimit()
    {
        AccessSettings settings = AccessTestConfig.Settings("disable monitor\nrestrict default limited kod nomodify");
        Assert.True(settings.Monitor);
        var access = new AccessControl(settings, seed: 5);

        Dictionary<TimeAdmission, int> outcomes = Run(access, RestrictFlags.Limited | RestrictFlags.Kod | RestrictFlags.NoModify, 50, 0.1);

        Assert.Equal(1, access.Mru.Count);
        Assert.True(outcomes.GetValueOrDefault(TimeAdmission.Serve) < 50, "the rate limit needs the list");
    }
}

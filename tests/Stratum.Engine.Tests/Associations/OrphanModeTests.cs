// Orphan mode (`tos orphan 6 orphanwait W`): with no source for W seconds the system serves stratum 6
// with the loopback refid and says so once; a source at the orphan stratum or above is never selected,
// except the orphan parent, elected by lowest address metric when nothing else survives.
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Selection;

namespace Stratum.Engine.Tests.Associations;

public class OrphanModeTests
{
    private static (NtpEngine Engine, List<EngineNotice> Notices) RunFor(double seconds, OrphanSettings orphan)
    {
        var clock = new EngineTestClock();
        var engine = new NtpEngine(new EngineConfiguration([], [], true, Orphan: orphan), -20);
        var actions = new EngineActions();
        var notices = new List<EngineNotice>();
        engine.Start(clock.Now, actions);
        long end = clock.Mono + (long)(seconds * 1e9);
        while (actions.NextDeadline <= end)
        {
            clock.Advance(Math.Max(0, actions.NextDeadline - clock.Mono) / 1e9);
            actions.Clear();
            engine.OnTimer(clock.Now, actions);
            notices.AddRange(actions.Notices);
        }

        return (engine, notices);
    }

    [Fact]
    public void NoSourceForOrphanwait_ServesTheOrphanStratumWithLoopbackRefid()
    {
        (NtpEngine before, _) = RunFor(60, new OrphanSettings(6, 120));
        Assert.False(before.System.IsSynchronized);

        (NtpEngine engine, List<EngineNotice> notices) = RunFor(200, new OrphanSettings(6, 120));
        Assert.True(engine.System.IsSynchronized);
        Assert.Equal(6, engine.System.Stratum);
        Assert.Equal(ReferenceId.FromAddress(System.Net.IPAddress.Loopback), engine.System.ReferenceId);
        Assert.Single(notices, n => n.Text == "orphan mode: no source reachable for 120 s; serving stratum 6");
    }

    [Fact]
    public void SourcesAtTheOrphanStratum_AreNotSelected()
    {
        var selector = new ClockSelector(SelectionParameters.Default with { OrphanStratum = 6 });
        SelectionCandidate Candidate(int id, int stratum) =>
            new(id, 0.0001 * id, 0.0002, 0.0001, 0.00005, 0.001, 0.001, stratum, LeapIndicator.NoWarning, 0);
        SelectionResult result = selector.Select([Candidate(1, 6), Candidate(2, 7), Candidate(3, 3)], now: 0);
        Assert.Equal(3, result.SystemPeerId);
        Assert.Equal(RejectionReason.Unsynchronized, result.ReasonFor(1));
        Assert.Equal(RejectionReason.Unsynchronized, result.ReasonFor(2));
    }

    private static SelectionCandidate Orphan(int id, int stratum, uint? metric, bool reachable = true) =>
        new(id, 0.0001 * id, 0.0002, 0.0001, 0.00005, 0, 0, stratum, LeapIndicator.NoWarning, 0, reachable) { OrphanMetric = metric };

    [Fact]
    public void NothingElseSurvives_TheOrphanOfLowestMetricBelowOursIsElected()
    {
        var selector = new ClockSelector(SelectionParameters.Default with { OrphanStratum = 6 });
        SelectionResult result = selector.Select([Orphan(1, 6, 0x0A000005), Orphan(2, 6, 0x0A000003), Orphan(3, 6, null), Orphan(4, 7, null)], now: 0);
        Assert.Equal(2, result.SystemPeerId);
        Assert.Equal(SystemPeerChoice.OrphanParent, result.Choice);
        Assert.Equal(0.0002, result.Offset, 12);
        Assert.Null(result.ReasonFor(2));
        Assert.Equal(RejectionReason.Unsynchronized, result.ReasonFor(1));
        Assert.Equal(RejectionReason.Unsynchronized, result.ReasonFor(4));
    }

    [Fact]
    public void OurMetricIsLowest_NoParentIsElected()
    {
        // The caller leaves OrphanMetric null when the source's metric is not below ours: we are the parent.
        var selector = new ClockSelector(SelectionParameters.Default with { OrphanStratum = 6 });
        SelectionResult result = selector.Select([Orphan(1, 6, null), Orphan(2, 6, null)], now: 0);
        Assert.Null(result.SystemPeerId);
    }

    [Fact]
    public void ASourceBelowTheOrphanStratum_WinsOverTheOrphanParent()
    {
        var selector = new ClockSelector(SelectionParameters.Default with { OrphanStratum = 6 });
        SelectionCandidate upstream = new(9, 0.0003, 0.0002, 0.0001, 0.00005, 0.001, 0.001, 2, LeapIndicator.NoWarning, 0);
        SelectionResult result = selector.Select([Orphan(1, 6, 0x0A000001), upstream], now: 0);
        Assert.Equal(9, result.SystemPeerId);
        Assert.NotEqual(SystemPeerChoice.OrphanParent, result.Choice);
    }

    [Fact]
    public void AnUnreachableOrUnsynchronizedOrphan_IsNotElected()
    {
        var selector = new ClockSelector(SelectionParameters.Default with { OrphanStratum = 6 });
        SelectionCandidate unsynchronized = Orphan(3, 6, 0x0A000001) with { Leap = LeapIndicator.Unsynchronized };
        SelectionResult result = selector.Select([Orphan(1, 6, 0x0A000002, reachable: false), unsynchronized, Orphan(2, 6, 0x0A000009)], now: 0);
        Assert.Equal(2, result.SystemPeerId);
    }

    [Fact]
    public void WithoutOrphanMode_NoElection()
    {
        var selector = new ClockSelector(SelectionParameters.Default);
        SelectionResult result = selector.Select([Orphan(1, 16, 0x0A000001) with { Leap = LeapIndicator.Unsynchronized }], now: 0);
        Assert.Null(result.SystemPeerId);
    }

    [Fact]
    public void AnOrphanAtStratumOne_ServesTheLoopRefid()
    {
        (NtpEngine engine, _) = RunFor(200, new OrphanSettings(1, 120));
        Assert.Equal(1, engine.System.Stratum);
        Assert.Equal(ReferenceId.FromAscii("LOOP"), engine.System.ReferenceId);
    }

    [Fact]
    public void AddressMetric_IsTheIPv4AddressAsANumber_OrTheIPv6Hash()
    {
        Assert.Equal(0x0A000005u, SourceManager.OrphanAddressMetric(System.Net.IPAddress.Parse("10.0.0.5")));
        System.Net.IPAddress v6 = System.Net.IPAddress.Parse("2001:db8::1");
        Assert.Equal(ReferenceId.FromAddress(v6).Value, SourceManager.OrphanAddressMetric(v6));
    }
}

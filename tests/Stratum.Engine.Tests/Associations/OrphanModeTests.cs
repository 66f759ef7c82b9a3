// Orphan mode (`tos orphan 6 orphanwait W`): with no source for W seconds the system serves stratum 6
// with the loopback refid and says so once; a source at the orphan stratum or above is never selected.
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
}

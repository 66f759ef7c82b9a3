// The local clock driver as the system peer: stratum N+1, refid LOCL, within seconds of start.
using Stratum.Core.Wire;
using Stratum.Engine.Associations;

namespace Stratum.Engine.Tests.Associations;

public class LocalClockTests
{
    private static NtpEngine Engine(params LocalClockSettings[] clocks) =>
        new(new EngineConfiguration(clocks, [], DisciplineEnabled: false), -24);

    [Fact]
    public void LocalClock_FudgeStratum10_ServesStratum11WithinTenSeconds()
    {
        var clock = new EngineTestClock();
        NtpEngine engine = Engine(new LocalClockSettings(0, 10, 0, LocalClockSettings.DefaultReferenceId, false));
        var actions = new EngineActions();
        engine.Start(clock.Now, actions);
        Assert.False(engine.System.IsSynchronized);
        double elapsed = 0;
        while (!engine.System.IsSynchronized && elapsed < 10)
        {
            long wait = actions.NextDeadline - clock.Mono;
            clock.Advance(wait / 1e9);
            elapsed += wait / 1e9;
            actions.Clear();
            engine.OnTimer(clock.Now, actions);
        }

        Assert.True(engine.System.IsSynchronized);
        Assert.True(elapsed <= 10, $"synchronized after {elapsed} s");
        Assert.Equal(11, engine.System.Stratum);
        // Stratum 11: the refid is the driver's address, as ntpd's (a client reading it as IPv4 gets 127.127.1.0).
        Assert.Equal("127.127.1.0", engine.System.ReferenceId.ToDottedQuad());
        Assert.Equal(LeapIndicator.NoWarning, engine.System.Leap);
        Assert.Equal("LOCAL(0)", engine.System.SystemPeerName);
        Assert.Contains(actions.Notices, n => n.Kind == NoticeKind.Synchronized && n.Text == "synchronized to LOCAL(0), stratum 10");
    }

    [Fact]
    public void LocalClock_Time1_ShiftsTheReportedOffset()
    {
        var clock = new EngineTestClock();
        NtpEngine engine = Engine(new LocalClockSettings(0, 10, 0.050, LocalClockSettings.DefaultReferenceId, false));
        var actions = new EngineActions();
        engine.Start(clock.Now, actions);
        clock.Advance(1);
        engine.OnTimer(clock.Now, actions);
        Assert.Equal(0.050, engine.LocalClocks[0].LastOffset);
        Assert.Equal(1, engine.LocalClocks[0].Reach);
    }

    [Fact]
    public void LocalClock_PreferWinsOverLowerStratum()
    {
        var clock = new EngineTestClock();
        NtpEngine engine = Engine(
            new LocalClockSettings(0, 5, 0, LocalClockSettings.DefaultReferenceId, false),
            new LocalClockSettings(1, 8, 0, ReferenceId.FromAscii("ALT"), true));
        var actions = new EngineActions();
        engine.Start(clock.Now, actions);
        clock.Advance(1);
        engine.OnTimer(clock.Now, actions);
        Assert.Equal(9, engine.System.Stratum);
        Assert.Equal("127.127.1.1", engine.System.ReferenceId.ToDottedQuad());
    }

    [Fact]
    public void Start_RemoteAssociations_ReportedAsNotImplemented()
    {
        var engine = new NtpEngine(new EngineConfiguration([], ["server 0.pool.ntp.org"], true), -24);
        var actions = new EngineActions();
        engine.Start(new EngineTestClock().Now, actions);
        EngineNotice notice = Assert.Single(actions.Notices);
        Assert.Equal(NoticeKind.NotImplemented, notice.Kind);
        Assert.StartsWith("server 0.pool.ntp.org:", notice.Text);
    }
}

// The Engine's hourly housekeeping: the drift file is asked for an hour after start and hourly after
// (the monotonic clock drives it), and once more at Stop, always with the disciplined frequency and never
// while it is unknown (the discipline not in SYNC) nor without `driftfile`; the sysstats line comes hourly
// with the server counters as they were, which then start again from zero (ntpd's proto_clr_stats), and
// never without sysstats (the counters then run on).
using System.Net;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.SystemState;

public class HousekeepingTests
{
    private const double Hour = HourlySchedule.IntervalNanoseconds / 1e9;

    private readonly EngineTestClock _clock = new();
    private readonly EngineActions _actions = new();

    // A reference clock association, so the discipline reaches SYNC from hand-fed polls.
    private static NtpEngine Engine(bool keepDriftFile = true, bool writeSysStats = false)
    {
        var shm = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("127.127.28.0"), 123), AssociationMode.Refclock,
            false, false, true, false, false, 4, 4, 4, "SHM(0)")
        {
            Refclock = new RefclockIdentity(0, ReferenceId.FromAscii("GPS"), 0),
        };
        return new NtpEngine(new EngineConfiguration([], [], DisciplineEnabled: true, RemoteAssociations: [shm],
            KeepDriftFile: keepDriftFile, WriteSysStats: writeSysStats), -20, new SeededRandom(7));
    }

    // Refclock polls every 16 s until the discipline is in SYNC (at most 64 polls, well within the hour).
    private void Synchronize(NtpEngine engine)
    {
        for (int poll = 0; poll < 64 && engine.Sources.Discipline.State != DisciplineState.Synchronized; poll++)
        {
            _clock.Advance(16);
            _actions.Clear();
            engine.OnRefclockPoll(1, 0.000010 - (poll * 16 * 2e-6), 0.000001, LeapIndicator.NoWarning, -20, _clock.Now, _actions, 0);
        }

        Assert.Equal(DisciplineState.Synchronized, engine.Sources.Discipline.State);
    }

    private double? TimerAt(NtpEngine engine, long mono)
    {
        _clock.Advance((mono - _clock.Mono) / 1e9);
        _actions.Clear();
        engine.OnTimer(_clock.Now, _actions);
        return _actions.DriftFrequency;
    }

    [Fact]
    public void DriftFile_NothingBeforeTheFirstHour_ThenAtTheHour_AndHourlyAfter()
    {
        NtpEngine engine = Engine();
        long start = _clock.Mono;
        engine.Start(_clock.Now, _actions);
        Assert.Null(_actions.DriftFrequency);
        Synchronize(engine);

        Assert.Null(TimerAt(engine, start + (long)((Hour - 0.001) * 1e9)));
        Assert.Equal(engine.Sources.Discipline.Frequency, TimerAt(engine, start + (long)(Hour * 1e9)));
        Assert.Equal(start + (long)(2 * Hour * 1e9), _actions.NextDeadline);
        Assert.Null(TimerAt(engine, start + (long)(1.5 * Hour * 1e9)));
        Assert.Equal(engine.Sources.Discipline.Frequency, TimerAt(engine, start + (long)(2 * Hour * 1e9)));
    }

    [Fact]
    public void DriftFile_AtStop_AskedForAtOnceWithoutWaitingForTheHour()
    {
        NtpEngine engine = Engine();
        engine.Start(_clock.Now, _actions);
        Synchronize(engine);
        _actions.Clear();
        engine.Stop(_actions);
        Assert.Equal(engine.Sources.Discipline.Frequency, _actions.DriftFrequency);
    }

    [Fact]
    public void DriftFile_FrequencyNotKnown_NeitherHourlyNorAtStop()
    {
        // A drift file written from an unsettled (or only file-given) frequency would carry a guess forward.
        NtpEngine engine = Engine();
        long start = _clock.Mono;
        engine.Start(_clock.Now, _actions);
        Assert.NotEqual(DisciplineState.Synchronized, engine.Sources.Discipline.State);
        Assert.Null(TimerAt(engine, start + (long)(Hour * 1e9)));
        Assert.Null(TimerAt(engine, start + (long)(2 * Hour * 1e9)));
        _actions.Clear();
        engine.Stop(_actions);
        Assert.Null(_actions.DriftFrequency);
    }

    [Fact]
    public void DriftFile_NotKept_NeverAskedFor_AndNoHourlyDeadline()
    {
        NtpEngine engine = Engine(keepDriftFile: false);
        engine.Start(_clock.Now, _actions);
        Synchronize(engine);
        Assert.Null(TimerAt(engine, _clock.Mono + (long)(Hour * 1e9)));
        _actions.Clear();
        engine.Stop(_actions);
        Assert.Null(_actions.DriftFrequency);
    }

    [Fact]
    public void SysStats_Hourly_WithTheCountersAsTheyWere_ThenResetToZero()
    {
        NtpEngine engine = Engine(keepDriftFile: false, writeSysStats: true);
        long start = _clock.Mono;
        engine.Start(_clock.Now, _actions);
        Assert.Equal(start + HourlySchedule.IntervalNanoseconds, _actions.NextDeadline);
        Span<byte> reply = stackalloc byte[68];
        var request = new byte[48];
        request[0] = 0x23;
        for (int i = 0; i < 3; i++)
        {
            engine.OnDatagram(DatagramContext.ForServer(ClientAddress.From(IPAddress.Parse("192.0.2.1"), 40000 + i), _clock.Now.Real, _clock.Mono, request),
                reply, _actions);
        }

        TimerAt(engine, start + HourlySchedule.IntervalNanoseconds - 1);
        Assert.Null(_actions.SysStats);
        TimerAt(engine, start + HourlySchedule.IntervalNanoseconds);
        SysStatsRecord line = Assert.IsType<SysStatsRecord>(_actions.SysStats);
        Assert.Equal((3600, 3, 3), (line.SinceReset, line.Received, line.Replied));
        Assert.Equal(0, engine.Server.Counters.Received);
    }

    [Fact]
    public void SysStats_NotWritten_CountersRunOn()
    {
        NtpEngine engine = Engine(keepDriftFile: false, writeSysStats: false);
        engine.Start(_clock.Now, _actions);
        var request = new byte[48];
        request[0] = 0x23;
        engine.OnDatagram(DatagramContext.ForServer(ClientAddress.From(IPAddress.Parse("192.0.2.1"), 40000), _clock.Now.Real, _clock.Mono, request),
            new byte[68], _actions);
        TimerAt(engine, _clock.Mono + (long)(2 * Hour * 1e9));
        Assert.Null(_actions.SysStats);
        Assert.Equal(1, engine.Server.Counters.Received);
    }
}

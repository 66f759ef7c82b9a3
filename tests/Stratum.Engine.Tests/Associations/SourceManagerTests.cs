// SourceManager end to end over an in-test network of fake servers, driven through its NtpEngine and
// the daemon's action executor (EngineHarness; no clock is adjusted: the harness's driver ignores
// writes): truechimers are selected, a server 5 ms off is rejected as a falseticker, the system
// variables follow the system peer, and losing every server is reported.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Mode6;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Engine.Selection;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.Associations;

public class SourceManagerTests
{
    private readonly EngineTestClock _clock = new();

    private static RemoteAssociationSettings Server(string address) =>
        new(new IPEndPoint(IPAddress.Parse(address), 123), AssociationMode.Client, true, false, false, false, false, 6, 10, 4, address);

    private (SourceManager Manager, SystemVariables System) Create(params string[] addresses) => Create(false, addresses);

    private (SourceManager Manager, SystemVariables System) Create(bool disciplineClock, params string[] addresses)
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], disciplineClock, RemoteAssociations: addresses.Select(Server).ToList()), -24, new SeededRandom(1));
        _harnesses[engine.Sources] = new EngineHarness(engine, _clock);
        return (engine.Sources, engine.System);
    }

    private readonly Dictionary<SourceManager, EngineHarness> _harnesses = [];

    // A stratum 2 server `serverOffset` ahead of us, `oneWay` each way, 10 µs inside it.
    private byte[] Answer(ReadOnlySpan<byte> request, double serverOffset, double oneWay)
    {
        NtpHeader r = NtpHeader.Read(request);
        NtpTimestamp now = _clock.Now.Real;
        var reply = new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Server, 2, r.Poll, -20,
            NtpShort.FromSeconds(0.0001), NtpShort.FromSeconds(0.0001), ReferenceId.FromAscii("GPS"), now, r.TransmitTime,
            now + NtpDuration.FromSeconds(oneWay + serverOffset), now + NtpDuration.FromSeconds(oneWay + serverOffset + 0.00001));
        var bytes = new byte[48];
        reply.Write(bytes);
        return bytes;
    }

    /// <summary>Runs the manager's engine for <paramref name="seconds"/> (through the daemon's action
    /// executor) against servers with the given offsets (null = silent), 100 µs each way.</summary>
    private List<EngineNotice> Run(SourceManager manager, double?[] offsets, double seconds,
        List<PeerStatsRecord>? peerStats = null, List<LoopStatsRecord>? loopStats = null, List<RawStatsRecord>? rawStats = null)
    {
        EngineHarness harness = _harnesses[manager];
        harness.Notices.Clear();
        harness.PeerStats.Clear();
        harness.LoopStats.Clear();
        harness.RawStats.Clear();
        harness.Answer = (id, _, request) => offsets[id - 1] is double offset ? (Answer(request, offset, 0.0001), 0.00021) : null;
        long end = _clock.Mono + (long)(seconds * 1e9);
        harness.Start();
        harness.RunUntil(end);
        peerStats?.AddRange(harness.PeerStats);
        loopStats?.AddRange(harness.LoopStats);
        rawStats?.AddRange(harness.RawStats);
        return [.. harness.Notices];
    }

    [Fact]
    public void ThreeGoodOneFalseticker_FalsetickerRejectedAndNeverSelected()
    {
        (SourceManager manager, SystemVariables system) = Create("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
        List<EngineNotice> notices = Run(manager, [0.0, 0.0001, -0.0001, 0.005], 600);

        Assert.NotNull(manager.SystemPeer);
        Assert.NotEqual(4, manager.SystemPeer!.Id);
        Assert.Equal(RejectionReason.Falseticker, manager.Sources[3].Rejection);
        Assert.True(system.IsSynchronized);
        Assert.Equal(3, system.Stratum);
        Assert.Equal(manager.SystemPeer.Association.Settings.Address.Address, new IPAddress(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(system.ReferenceId.Value))));
        Assert.Contains(notices, n => n.Kind == NoticeKind.Synchronized && n.Text.StartsWith("synchronized to 10.0.0.", StringComparison.Ordinal) && n.Text.EndsWith(", stratum 2", StringComparison.Ordinal));
        Assert.DoesNotContain(notices, n => n.Text.Contains("10.0.0.4", StringComparison.Ordinal));
    }

    [Fact]
    public void FourEqualServers_SystemPeerChosenOnce_WithItsReason()
    {
        (SourceManager manager, _) = Create("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
        Run(manager, [0.0, 0.0001, -0.0001, 0.00005], 3600);

        Assert.Equal(1, manager.SystemPeerChanges);
        Assert.Equal($"{manager.SystemPeer!.Association.Settings.DisplayName}: first selection, best merit", manager.SystemPeerReason);
    }

    [Fact]
    public void OneServer_LogsSynchronizedToItsAddressAndItsStratum_Once()
    {
        (SourceManager manager, _) = Create("10.0.0.1");
        List<EngineNotice> notices = Run(manager, [0.0002], 600);
        EngineNotice synchronized = Assert.Single(notices, n => n.Kind == NoticeKind.Synchronized);
        Assert.Equal("synchronized to 10.0.0.1, stratum 2", synchronized.Text);
    }

    [Theory]
    [InlineData(0.315, "time reset +0.315000 s")]
    [InlineData(-0.315, "time reset -0.315000 s")]
    public void ServerBeyondTheStepThreshold_StepIsLoggedAsTimeReset(double offset, string expected)
    {
        // 100 µs each way, 10 µs in the server: the measured offset is exactly the server's.
        (SourceManager manager, _) = Create(disciplineClock: true, "10.0.0.1");
        List<EngineNotice> notices = Run(manager, [offset], 30);
        EngineNotice first = notices.First(n => n.Text.StartsWith("time reset", StringComparison.Ordinal));
        Assert.Equal(NoticeKind.Info, first.Kind);
        Assert.Equal(expected, first.Text);
    }

    [Fact]
    public void Iburst_SynchronizesWithinTenSeconds()
    {
        (SourceManager manager, SystemVariables system) = Create("10.0.0.1");
        Run(manager, [0.0002], 10);
        Assert.True(system.IsSynchronized);
        Assert.Equal(1, manager.SystemPeer!.Id);
    }

    [Fact]
    public void EveryAcceptedSample_IsAPeerstatsRecord_EveryLoopUpdate_ALoopstatsRecord()
    {
        (SourceManager manager, _) = Create("10.0.0.1");
        var peers = new List<PeerStatsRecord>();
        var loops = new List<LoopStatsRecord>();
        Run(manager, [0.0002], 300, peers, loops);
        // iburst (8) plus the polls of the remaining ~285 s at 64 s.
        Assert.InRange(peers.Count, 11, 14);
        Assert.All(peers, p => Assert.Equal("10.0.0.1", p.Address));
        Assert.Equal(0x9600, peers[^1].Status & 0xFF00); // reachable, system peer (ntpq's '*')
        Assert.InRange(peers[^1].Offset, 0.0001, 0.0003);
        Assert.NotEmpty(loops);
        Assert.True(loops.Count <= peers.Count);
    }

    [Fact]
    public void EveryAcceptedReply_IsARawstatsRecord_WithOurT1AndTheServersTimestamps()
    {
        (SourceManager manager, _) = Create("10.0.0.1");
        var raws = new List<RawStatsRecord>();
        Run(manager, [0.0002], 100, rawStats: raws);

        Assert.InRange(raws.Count, 8, 10);
        RawStatsRecord last = raws[^1];
        Assert.Equal("10.0.0.1", last.Address);
        Assert.Equal(1, last.AssociationId);
        Core.Wire.NtpHeader header = last.Exchange.Header;
        // T1 < T2 - offset, T4 - T1 = the round trip (210 µs here), the server's 2 stratum.
        double roundTrip = (last.Exchange.Receive - last.Exchange.Transmit).TotalSeconds;
        Assert.InRange(roundTrip, 0.0002, 0.00022);
        Assert.InRange((header.ReceiveTime - last.Exchange.Transmit).TotalSeconds, 0.0002, 0.0004);
        Assert.Equal(Core.Wire.NtpMode.Server, header.Mode);
    }

    [Fact]
    public void ObserveOnly_ServerFiveMillisecondsOff_OffsetStaysAsMeasured_LoopDoesNotRun()
    {
        // disable ntp: nothing corrects the clock, so the offset must not be "corrected" away in the
        // filter, and the loop must not integrate it into a frequency error.
        (SourceManager manager, SystemVariables system) = Create("10.0.0.1");
        var loops = new List<LoopStatsRecord>();
        List<EngineNotice> notices = Run(manager, [0.005], 1800, loopStats: loops);

        Assert.True(system.IsSynchronized);
        Assert.InRange(manager.SystemOffset, 0.0049, 0.0051);
        Assert.InRange(manager.Sources[0].Filter.Last.Offset, 0.0049, 0.0051);
        Assert.Equal(0, manager.Discipline.Frequency);
        Assert.NotEmpty(loops);
        Assert.All(loops, loop => Assert.InRange(loop.Offset, 0.0049, 0.0051));
        Assert.DoesNotContain(notices, n => n.Text.Contains("frequency error", StringComparison.Ordinal));
    }

    [Fact]
    public void Refclock_SamplesEveryPoll_IsSelected_SystemServesStratumOneWithItsRefid()
    {
        var system = new SystemVariables(-24);
        var shm = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("127.127.28.0"), 123), AssociationMode.Refclock,
            false, false, true, false, false, 4, 4, 4, "SHM(0)")
        {
            Refclock = new RefclockIdentity(0, ReferenceId.FromAscii("GPS"), 0.0002),
        };
        var manager = new SourceManager([(1, shm)], system, new SeededRandom(1), -24, SelectionParameters.Default,
            DisciplineParameters.Default, driftFrequency: null, disciplineClock: false);
        var actions = new EngineActions();
        manager.Start(_clock.Now);
        Assert.Equal(long.MaxValue, manager.NextDeadline());

        var notices = new List<EngineNotice>();
        for (int poll = 0; poll < 12; poll++)
        {
            _clock.Advance(2);
            actions.Clear();
            // Every third poll the driver had no reading: reach shows it, selection carries on.
            double? offset = poll % 3 == 2 ? null : 0.0003;
            manager.OnRefclockPoll(1, offset, 0.000001, LeapIndicator.NoWarning, -20, _clock.Now, actions);
            notices.AddRange(actions.Notices);
            Assert.Empty(actions.Packets);
        }

        Assert.Equal(1, manager.SystemPeer?.Id);
        Assert.Equal(1, system.Stratum);
        Assert.Equal("GPS", system.ReferenceId.ToAscii());
        // The driver's 0.3 ms plus fudge time1 0.2 ms.
        Assert.InRange(manager.SystemOffset, 0.00049, 0.00051);
        Assert.Equal(0b1011_0110, manager.Sources[0].Association.Reach); // polls 4..11, oldest first; 5, 8 and 11 without a reading
        Assert.Contains(notices, n => n.Text == "synchronized to SHM(0), stratum 0");
        Assert.Equal(ReplyVerdict.Malformed, manager.OnRefclockPoll(2, 0, 0, LeapIndicator.NoWarning, -20, _clock.Now, actions));
    }

    [Fact]
    public void PpsBesideAPreferGps_IsTheSystemPeer_ShownAsO_WithTheGpsAsStar()
    {
        var system = new SystemVariables(-24);
        var gps = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("127.127.20.0"), 123), AssociationMode.Refclock,
            false, false, true, false, false, 4, 4, 4, "GPS_NMEA(0)")
        {
            Refclock = new RefclockIdentity(0, ReferenceId.FromAscii("GPS"), 0),
        };
        var pps = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("127.127.22.0"), 123), AssociationMode.Refclock,
            false, false, false, false, false, 4, 4, 4, "PPS(0)")
        {
            Refclock = new RefclockIdentity(0, ReferenceId.FromAscii("PPS"), 0) { IsPps = true },
        };
        var manager = new SourceManager([(1, gps), (2, pps)], system, new SeededRandom(1), -24, SelectionParameters.Default,
            DisciplineParameters.Default, driftFrequency: null, disciplineClock: false);
        var actions = new EngineActions();
        manager.Start(_clock.Now);
        for (int poll = 0; poll < 10; poll++)
        {
            _clock.Advance(2);
            actions.Clear();
            manager.OnRefclockPoll(1, 0.0021, 0.0005, LeapIndicator.NoWarning, -9, _clock.Now, actions);
            manager.OnRefclockPoll(2, 0.000012, 0.000001, LeapIndicator.NoWarning, -20, _clock.Now, actions);
        }

        Assert.Equal(2, manager.SystemPeer?.Id);
        Assert.Equal(1, manager.PpsCompanionId);
        Assert.Equal("PPS", system.ReferenceId.ToAscii());
        Assert.Equal(1, system.Stratum);
        Assert.InRange(manager.SystemOffset, 0.000011, 0.000013);
        Assert.Equal(PeerSelection.PpsPeer, new Stratum.Engine.Control.RemoteSourceAssociation(manager.Sources[1], true, manager).Selection);
        Assert.Equal(PeerSelection.SystemPeer, new Stratum.Engine.Control.RemoteSourceAssociation(manager.Sources[0], false, manager).Selection);
        Assert.Equal("PPS(0): PPS beside the prefer peer", manager.SystemPeerReason);
    }

    [Fact]
    public void AllServersSilent_ReportsNoServersReachable()
    {
        (SourceManager manager, SystemVariables system) = Create("10.0.0.1");
        Run(manager, [0.0], 30);
        Assert.True(system.IsSynchronized);
        List<EngineNotice> notices = Run(manager, [null], 3000);
        Assert.Contains(notices, n => n.Kind == NoticeKind.SyncLost && n.Text == "no servers reachable");
        Assert.False(system.IsSynchronized);
    }
}

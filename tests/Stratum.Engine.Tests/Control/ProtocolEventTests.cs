// Protocol events as protostats records: an engine with one scripted server (EngineHarness) reports
// each association's mobilize and the restart at start, the server becoming reachable, its choice as
// system peer and the clock's synchronization (clock_sync with the NTP clock source in the system
// status word), the server falling silent (unreachable, then no_sys_peer), and a RATE kiss
// (rate_exceeded); EventTally keeps ntpd's counting rules for the system and for an association.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Control;

namespace Stratum.Engine.Tests.Control;

public class ProtocolEventTests
{
    private readonly EngineTestClock _clock = new();

    private static RemoteAssociationSettings Server(string address) =>
        new(new IPEndPoint(IPAddress.Parse(address), 123), AssociationMode.Client, true, false, false, false, false, 6, 10, 4, address);

    private EngineHarness Create(params string[] addresses)
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], true, RemoteAssociations: addresses.Select(Server).ToList()), -24, new SeededRandom(1));
        return new EngineHarness(engine, _clock);
    }

    private byte[] Answer(ReadOnlySpan<byte> request, double serverOffset, string? kiss = null)
    {
        NtpHeader r = NtpHeader.Read(request);
        NtpTimestamp now = _clock.Now.Real;
        NtpTimestamp receive = now + NtpDuration.FromSeconds(0.0001 + serverOffset);
        NtpHeader reply = kiss is null
            ? new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Server, 2, r.Poll, -20, NtpShort.FromSeconds(0.0001),
                NtpShort.FromSeconds(0.0001), ReferenceId.FromAscii("GPS"), now, r.TransmitTime, receive, receive + NtpDuration.FromSeconds(0.00001))
            : new NtpHeader(LeapIndicator.Unsynchronized, 4, NtpMode.Server, 0, r.Poll, -20, NtpShort.FromSeconds(0),
                NtpShort.FromSeconds(0), ReferenceId.FromAscii(kiss), default, r.TransmitTime, receive, receive + NtpDuration.FromSeconds(0.00001));
        var bytes = new byte[48];
        reply.Write(bytes);
        return bytes;
    }

    private static string Line(ProtoStatsRecord record) => $"{record.Address} {record.Status:x4} {record.Code:x2} {record.Text}";

    [Fact]
    public void Start_ReportsMobilizeThenRestart()
    {
        EngineHarness harness = Create("192.0.2.1");
        harness.Start();

        // No drift file: freq_not_set after the restart.
        Assert.Equal(["192.0.2.1 8011 81 mobilize assoc 1", "0.0.0.0 c016 06 restart", "0.0.0.0 c011 01 freq_not_set"], harness.ProtoStats.Select(Line));
    }

    [Fact]
    public void Start_WithADriftFile_ReportsFreqSet()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], true, RemoteAssociations: [Server("192.0.2.1")], DriftFrequency: 12.5e-6), -24, new SeededRandom(1));
        var harness = new EngineHarness(engine, _clock);
        harness.Start();
        Assert.Equal("0.0.0.0 c012 02 freq_set 12.500 PPM", harness.ProtoStats.Select(Line).Last());
    }

    [Fact]
    public void SyncToASource_ReportsReachableSysPeerAndClockSync()
    {
        EngineHarness harness = Create("192.0.2.1");
        harness.Answer = (_, _, request) => (Answer(request, 0.0002), 0.00021);
        harness.Start();
        harness.RunUntil(_clock.Mono + (long)(2400 * 1e9));

        List<string> lines = [.. harness.ProtoStats.Select(Line)];
        // mobilize (1 event), then reachable: the second event, reach set.
        Assert.Equal("192.0.2.1 9024 84 reachable", lines[3]);
        int sysPeer = lines.FindIndex(l => l.EndsWith(" 8a sys_peer", StringComparison.Ordinal));
        Assert.True(sysPeer > 3);
        Assert.Equal("192.0.2.1 963a 8a sys_peer", lines[sysPeer]);
        ProtoStatsRecord sync = Assert.Single(harness.ProtoStats, r => r.Text == "clock_sync");
        Assert.Equal("0.0.0.0", sync.Address);
        Assert.Equal(0x05, sync.Code);
        Assert.Equal(Core.Mode6.SystemStatusWord.SourceNtp, (sync.Status >> 8) & 0x3F);
        Assert.Equal(0x15, sync.Status & 0xFF); // one clock_sync event
        Assert.True(harness.ProtoStats.ToList().FindIndex(r => r.Text == "clock_sync") > sysPeer);
    }

    [Fact]
    public void KernelDisciplineComesOn_ReportsKernOnce()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], true, RemoteAssociations: [Server("192.0.2.1")]), -24, new SeededRandom(1));
        var harness = new EngineHarness(engine, _clock, acceptSlews: true);
        harness.Answer = (_, _, request) => (Answer(request, 0.0002), 0.00021);
        harness.Start();
        harness.RunUntil(_clock.Mono + (long)(2400 * 1e9));

        ProtoStatsRecord kernel = Assert.Single(harness.ProtoStats, r => r.Code == 0x0d);
        Assert.Equal("0.0.0.0", kernel.Address);
        Assert.Equal("kern kernel time sync enabled", kernel.Text);
    }

    [Fact]
    public void SourceFallsSilent_ReportsUnreachableAndNoSysPeer()
    {
        EngineHarness harness = Create("192.0.2.1");
        bool answering = true;
        harness.Answer = (_, _, request) => answering ? (Answer(request, 0.0002), 0.00021) : null;
        harness.Start();
        harness.RunUntil(_clock.Mono + (long)(600 * 1e9));
        Assert.DoesNotContain(harness.ProtoStats, r => r.Text == "unreachable");

        answering = false;
        harness.RunUntil(_clock.Mono + (long)(20_000 * 1e9));

        ProtoStatsRecord unreachable = Assert.Single(harness.ProtoStats, r => r.Text == "unreachable");
        Assert.Equal("192.0.2.1", unreachable.Address);
        Assert.Equal(0x83, unreachable.Code);
        Assert.Equal(0, unreachable.Status & 0x1000); // the reach bit is clear
        Assert.Contains(harness.ProtoStats, r => r.Address == "0.0.0.0" && r.Text == "no_sys_peer" && r.Code == 0x08);
    }

    [Fact]
    public void RateKiss_ReportsRateExceeded()
    {
        EngineHarness harness = Create("192.0.2.1");
        harness.Answer = (_, _, request) => (Answer(request, 0, "RATE"), 0.00021);
        harness.Start();
        harness.RunUntil(_clock.Mono + (long)(10 * 1e9));

        // One per kiss (an iburst's requests each draw one); a repeat restarts the association's count.
        List<ProtoStatsRecord> rates = [.. harness.ProtoStats.Where(r => r.Text == "rate_exceeded")];
        Assert.NotEmpty(rates);
        Assert.All(rates, r => Assert.Equal("192.0.2.1", r.Address));
        Assert.Equal("192.0.2.1 8027 87 rate_exceeded", Line(rates[0]));
        Assert.Equal(0x17, rates[^1].Status & 0xFF);
    }

    [Fact]
    public void SystemTally_RestartsOnADifferentEvent_DropsTheSixteenthRepeat()
    {
        var tally = new EventTally();
        Assert.True(tally.TryCountSystem(ProtocolEvents.Restart));
        Assert.True(tally.TryCountSystem(ProtocolEvents.Restart));
        Assert.Equal(2, tally.Count);
        Assert.True(tally.TryCountSystem(ProtocolEvents.ClockSync));
        Assert.Equal(1, tally.Count);
        for (int i = 1; i < 15; i++)
        {
            Assert.True(tally.TryCountSystem(ProtocolEvents.ClockSync));
        }

        Assert.False(tally.TryCountSystem(ProtocolEvents.ClockSync));
        Assert.Equal(15, tally.Count);
    }

    [Fact]
    public void PeerTally_RestartsOnARepeat_AsNtpdDoes()
    {
        var tally = new EventTally();
        Assert.True(tally.TryCountPeer(ProtocolEvents.Mobilize));
        Assert.True(tally.TryCountPeer(ProtocolEvents.Reachable));
        Assert.True(tally.TryCountPeer(ProtocolEvents.SystemPeer));
        Assert.Equal(3, tally.Count);
        Assert.True(tally.TryCountPeer(ProtocolEvents.SystemPeer));
        Assert.Equal(1, tally.Count);
        Assert.Equal(ProtocolEvents.SystemPeer, tally.LastEvent);
    }
}

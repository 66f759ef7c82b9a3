// Pool upkeep (NameMobilizer, through NtpEngine): a `pool` line fills up to maxclock from a scripted
// resolver; a member that stays unreachable for ten polls, or is a falseticker for five checks in a
// row, is demobilized (its socket closed) and the pool is resolved again for a replacement, never the
// address just removed (held for an hour). The engine runs observe-only (it selects but never adjusts
// a clock) through the daemon's action executor (EngineHarness), with scripted servers answering;
// lookups are answered at the next timer, as the daemon drains its resolver.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Engine.Selection;

namespace Stratum.Engine.Tests.Associations;

public class NameMobilizerTests
{
    private const string PoolName = "pool.test";

    private static IPAddress Member(int n) => IPAddress.Parse($"192.0.2.{n}");

    [Fact]
    public void OnTimer_MemberUnreachableForTenPolls_DemobilizedAndReplacementSolicited()
    {
        // The pool first answers with members 1-4, then (a later DNS rotation) with 1-5.
        var world = new PoolWorld(maxClock: 4, lookup => lookup == 0 ? [Member(1), Member(2), Member(3), Member(4)] : [Member(1), Member(2), Member(3), Member(4), Member(5)]);
        world.Silent.Add(Member(4));
        world.RunUntil(3 * 3600, stopWhen: () => world.Log.Exists(l => l.Contains("removed", StringComparison.Ordinal)) && world.HasMember(Member(5)));

        Assert.Equal(["Soliciting pool server 192.0.2.1", "Soliciting pool server 192.0.2.2", "Soliciting pool server 192.0.2.3", "Soliciting pool server 192.0.2.4"], world.Log[..4]);
        string removal = Assert.Single(world.Log, l => l.Contains("removed", StringComparison.Ordinal));
        Assert.Equal($"pool server 192.0.2.4 removed (unreachable); soliciting a replacement from {PoolName}", removal);
        Assert.Contains("Soliciting pool server 192.0.2.5", world.Log);

        // Removed once ten polls went unanswered: the check (every 64 s) runs after the eleventh poll was
        // sent, before a twelfth (unreachable, the polls have backed off to 128 s and more). Not after ten
        // packets: iburst alone sent eight in the first poll.
        int polls = world.PollsOf(Member(4), before: world.RemovedAt(Member(4)));
        Assert.Equal(NameMobilizer.UnreachablePolls + 1, polls);

        // The replacement is polled; the members that answer were never touched.
        world.RunUntil(world.Now.MonoSeconds + 600);
        Assert.Equal([Member(1), Member(2), Member(3), Member(5)], world.Sources.Sources.Select(s => s.Association.Settings.Address.Address));
        Assert.Equal([1, 2, 3], world.Sources.Sources.Take(3).Select(s => s.Id));
        Assert.Equal(PoolName, world.Sources.Sources[3].Association.Settings.Pool);
        Assert.True(world.Sources.Sources[3].Association.IsReachable, "the replacement never answered");
        Assert.Single(world.Harness.Closed);
    }

    [Fact]
    public void OnTimer_FalsetickerForFiveChecks_DemobilizedAndNotTakenAgain()
    {
        // Members 1-4; member 4 serves time 50 ms ahead. Later lookups rotate: 4 and 5 only.
        var world = new PoolWorld(maxClock: 4, lookup => lookup == 0 ? [Member(1), Member(2), Member(3), Member(4)] : [Member(4), Member(5)]);
        world.ServedOffsets[Member(4)] = 0.050;
        world.RunUntil(3 * 3600, stopWhen: () => world.HasMember(Member(5)));

        Assert.True(world.FirstFalsetickerAt.TryGetValue(Member(4), out double marked), "member 4 was never marked a falseticker");
        string removal = Assert.Single(world.Log, l => l.Contains("removed", StringComparison.Ordinal));
        Assert.Equal($"pool server 192.0.2.4 removed (falseticker); soliciting a replacement from {PoolName}", removal);
        // Five consecutive 64 s checks: the first may come up to one check interval after the marking.
        double heldFor = world.RemovedAt(Member(4)) - marked;
        Assert.InRange(heldFor, (NameMobilizer.FalsetickerChecks - 1) * NameMobilizer.CheckSeconds, NameMobilizer.FalsetickerChecks * NameMobilizer.CheckSeconds);

        // The rotated answer offers member 4 again: it is skipped (held for an hour), member 5 is taken.
        Assert.DoesNotContain(world.Log.SkipWhile(l => l != removal), l => l == "Soliciting pool server 192.0.2.4");
        Assert.Equal([Member(1), Member(2), Member(3), Member(5)], world.Sources.Sources.Select(s => s.Association.Settings.Address.Address));
        Assert.Null(world.Sources.Sources.FirstOrDefault(s => s.Association.Settings.Address.Address.Equals(Member(4))));
    }

    [Fact]
    public void OnTimer_HealthyPool_NoMemberReplaced()
    {
        var world = new PoolWorld(maxClock: 4, _ => [Member(1), Member(2), Member(3), Member(4)]);
        world.RunUntil(2 * 3600);
        Assert.Equal(4, world.Sources.Sources.Count);
        Assert.Empty(world.Harness.Closed);
        Assert.DoesNotContain(world.Log, l => l.Contains("removed", StringComparison.Ordinal));
    }

    [Fact]
    public void ServerName_MobilizedWithTheFirstAddress_AndAFailedLookupRetriedAfterAMinute()
    {
        var clock = new EngineTestClock();
        var template = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Any, 123), AssociationMode.Client,
            true, false, false, false, false, 6, 10, 4, "time.test");
        var engine = new NtpEngine(new EngineConfiguration([], [], false, PendingNames:
            [new PendingAssociation("time.test", false, template), new PendingAssociation("missing.test", false, template with { DisplayName = "missing.test" })]),
            -20, new SeededRandom(3));
        int missingLookups = 0;
        var harness = new EngineHarness(engine, clock)
        {
            Resolve = name =>
            {
                if (name == "time.test")
                {
                    return [Member(41), Member(30)];
                }

                missingLookups++;
                return [];
            },
        };
        harness.Start();
        harness.RunUntil(clock.Mono + (long)(150 * 1e9));

        RemoteSource named = Assert.Single(engine.Sources.Sources);
        Assert.Equal(Member(41), named.Association.Settings.Address.Address);
        Assert.Contains(harness.Requests, r => r.Remote.Equals(Member(41)));
        Assert.Equal(3, missingLookups); // at start, then a minute and two minutes later
        Assert.Contains(harness.Notices, n => n.Text == "cannot resolve missing.test: Name or service not known; retrying in 60 s");
    }

    /// <summary>An engine with one `pool` line, its harness and scripted servers that answer every
    /// request at once (1 ms each way), with a per-server offset, or never.</summary>
    private sealed class PoolWorld
    {
        private readonly EngineTestClock _clock = new();
        private int _lookups;

        public PoolWorld(int maxClock, Func<int, IPAddress[]> answers)
        {
            var template = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Any, 123), AssociationMode.Client,
                true, false, false, false, false, 6, 10, 4, PoolName);
            var engine = new NtpEngine(new EngineConfiguration([], [], DisciplineEnabled: false,
                Discipline: DisciplineParameters.Default with { MinPoll = 6, MaxPoll = 10 }, Selection: SelectionParameters.Default,
                PendingNames: [new PendingAssociation(PoolName, true, template)], MaxClock: maxClock), -20, new SeededRandom(4));
            Harness = new EngineHarness(engine, _clock)
            {
                Resolve = _ => answers(_lookups++),
                Answer = (_, remote, request) => Silent.Contains(remote.Address) ? null : (Reply(request, ServedOffsets.GetValueOrDefault(remote.Address)), 0.002),
            };
            Harness.Start();
        }

        public EngineHarness Harness { get; }

        public SourceManager Sources => Harness.Engine.Sources;

        public List<string> Log => Harness.Notices.Where(n => n.Kind == NoticeKind.Info).Select(n => n.Text).ToList();

        public HashSet<IPAddress> Silent { get; } = [];

        public Dictionary<IPAddress, double> ServedOffsets { get; } = [];

        public Dictionary<IPAddress, double> FirstFalsetickerAt { get; } = [];

        public LoopTime Now => _clock.Now;

        public bool HasMember(IPAddress address) => Sources.Sources.Any(s => s.Association.Settings.Address.Address.Equals(address));

        public double RemovedAt(IPAddress address) => Harness.Closed.Single(c => c.Remote.Equals(address)).MonoSeconds;

        /// <summary>Polls (packets more than a burst spacing after the previous one) sent to <paramref name="address"/> before a time.</summary>
        public int PollsOf(IPAddress address, double before)
        {
            int polls = 0;
            double previous = double.NegativeInfinity;
            foreach ((_, double sent, IPAddress remote) in Harness.Requests)
            {
                if (!remote.Equals(address))
                {
                    continue;
                }

                if (sent < before && sent - previous > RemoteAssociation.BurstSpacingSeconds + 0.5)
                {
                    polls++;
                }

                previous = sent;
            }

            return polls;
        }

        /// <summary>Runs the engine up to <paramref name="monoSeconds"/> or until <paramref name="stopWhen"/> holds.</summary>
        public void RunUntil(double monoSeconds, Func<bool>? stopWhen = null) =>
            Harness.RunUntil((long)(monoSeconds * 1e9), () =>
            {
                NoteFalsetickers();
                return stopWhen?.Invoke() == true;
            });

        // A stratum 1 server `offset` ahead of us, 1 ms away each way.
        private byte[] Reply(ReadOnlySpan<byte> request, double offset)
        {
            NtpHeader r = NtpHeader.Read(request);
            NtpTimestamp served = Now.Real + NtpDuration.FromSeconds(0.001 + offset);
            var header = new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Server, 1, r.Poll, -20,
                NtpShort.Zero, NtpShort.FromSeconds(0.0001), ReferenceId.FromAscii("GPS"),
                served - NtpDuration.FromSeconds(16), r.TransmitTime, served, served);
            var bytes = new byte[NtpHeader.Size];
            header.Write(bytes);
            return bytes;
        }

        private void NoteFalsetickers()
        {
            foreach (RemoteSource source in Sources.Sources)
            {
                if (source.Rejection == RejectionReason.Falseticker)
                {
                    FirstFalsetickerAt.TryAdd(source.Association.Settings.Address.Address, Now.MonoSeconds);
                }
            }
        }
    }
}

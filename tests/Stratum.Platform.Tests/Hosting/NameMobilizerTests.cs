// Pool upkeep in NameMobilizer: a `pool` line fills up to maxclock from a fake resolver; a member that
// stays unreachable for ten polls, or is a falseticker for five checks in a row, is demobilized and the
// pool is resolved again for a replacement, never the address just removed (held for an hour). The
// sources are a real SourceManager (observe-only: it selects but never adjusts a clock) fed with
// replies from scripted servers; time is a hand-advanced LoopTime. Only the resolver runs on its own
// thread, so the test waits (bounded) for its answers with simulated time standing still.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Engine.Selection;
using Stratum.Engine.SystemState;
using Stratum.Platform.Hosting;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Hosting;

public class NameMobilizerTests
{
    private const string PoolName = "pool.test";

    private static IPAddress Member(int n) => IPAddress.Parse($"192.0.2.{n}");

    [Fact]
    public void OnTimer_MemberUnreachableForTenPolls_DemobilizedAndReplacementSolicited()
    {
        // The pool first answers with members 1-4, then (a later DNS rotation) with 1-5.
        using var world = new PoolWorld(maxClock: 4, lookup => lookup == 0 ? [Member(1), Member(2), Member(3), Member(4)] : [Member(1), Member(2), Member(3), Member(4), Member(5)]);
        world.Silent.Add(Member(4));
        world.RunUntil(3 * 3600, stopWhen: () => world.Log.Exists(l => l.Contains("removed", StringComparison.Ordinal)) && world.HasMember(Member(5)));

        Assert.Equal(["Soliciting pool server 192.0.2.1", "Soliciting pool server 192.0.2.2", "Soliciting pool server 192.0.2.3", "Soliciting pool server 192.0.2.4"], world.Log[..4]);
        string removal = Assert.Single(world.Log, l => l.Contains("removed", StringComparison.Ordinal));
        Assert.Equal($"pool server 192.0.2.4 removed (unreachable); soliciting a replacement from {PoolName}", removal);
        Assert.Contains("Soliciting pool server 192.0.2.5", world.Log);

        // Removed once ten polls went unanswered: the check (every 64 s) runs after the eleventh poll was
        // sent, before a twelfth (unreachable, the polls have backed off to 128 s and more). Not after ten
        // packets: iburst alone sent eight in the first poll.
        int polls = world.PollsOf(Member(4), before: world.RemovedAt[Member(4)]);
        Assert.Equal(NameMobilizer.UnreachablePolls + 1, polls);

        // The replacement is polled; the members that answer were never touched.
        world.RunUntil(world.Now.MonoSeconds + 600);
        Assert.Equal([Member(1), Member(2), Member(3), Member(5)], world.Sources.Sources.Select(s => s.Association.Settings.Address.Address));
        Assert.Equal([1, 2, 3], world.Sources.Sources.Take(3).Select(s => s.Id));
        Assert.Equal(PoolName, world.Sources.Sources[3].Association.Settings.Pool);
        Assert.True(world.Sources.Sources[3].Association.IsReachable, "the replacement never answered");
        Assert.Single(world.Demobilized);
    }

    [Fact]
    public void OnTimer_FalsetickerForFiveChecks_DemobilizedAndNotTakenAgain()
    {
        // Members 1-4; member 4 serves time 50 ms ahead. Later lookups rotate: 4 and 5 only.
        using var world = new PoolWorld(maxClock: 4, lookup => lookup == 0 ? [Member(1), Member(2), Member(3), Member(4)] : [Member(4), Member(5)]);
        world.ServedOffsets[Member(4)] = 0.050;
        world.RunUntil(3 * 3600, stopWhen: () => world.HasMember(Member(5)));

        Assert.True(world.FirstFalsetickerAt.TryGetValue(Member(4), out double marked), "member 4 was never marked a falseticker");
        string removal = Assert.Single(world.Log, l => l.Contains("removed", StringComparison.Ordinal));
        Assert.Equal($"pool server 192.0.2.4 removed (falseticker); soliciting a replacement from {PoolName}", removal);
        // Five consecutive 64 s checks: the first may come up to one check interval after the marking.
        double heldFor = world.RemovedAt[Member(4)] - marked;
        Assert.InRange(heldFor, (NameMobilizer.FalsetickerChecks - 1) * NameMobilizer.CheckSeconds, NameMobilizer.FalsetickerChecks * NameMobilizer.CheckSeconds);

        // The rotated answer offers member 4 again: it is skipped (held for an hour), member 5 is taken.
        Assert.DoesNotContain(world.Log.SkipWhile(l => l != removal), l => l == "Soliciting pool server 192.0.2.4");
        Assert.Equal([Member(1), Member(2), Member(3), Member(5)], world.Sources.Sources.Select(s => s.Association.Settings.Address.Address));
        Assert.Null(world.Sources.Sources.FirstOrDefault(s => s.Association.Settings.Address.Address.Equals(Member(4))));
    }

    [Fact]
    public void OnTimer_HealthyPool_NoMemberReplaced()
    {
        using var world = new PoolWorld(maxClock: 4, _ => [Member(1), Member(2), Member(3), Member(4)]);
        world.RunUntil(2 * 3600);
        Assert.Equal(4, world.Sources.Sources.Count);
        Assert.Empty(world.Demobilized);
        Assert.DoesNotContain(world.Log, l => l.Contains("removed", StringComparison.Ordinal));
    }

    /// <summary>A SourceManager with one `pool` line, its NameMobilizer and scripted servers that answer
    /// every request at once (1 ms each way), with a per-server offset, or never.</summary>
    private sealed class PoolWorld : IDisposable
    {
        private const long StartUnixNanoseconds = 1_795_000_000L * 1_000_000_000;
        private readonly HostResolver _resolver;
        private readonly NameMobilizer _mobilizer;
        private readonly EngineActions _actions = new();
        private readonly Dictionary<IPAddress, List<double>> _sendTimes = [];
        private long _mono = 1_000_000_000;
        private int _lookups;

        public PoolWorld(int maxClock, Func<int, IPAddress[]> answers)
        {
            Sources = new SourceManager([], new SystemVariables(-20), new SeededRandom(), -20, SelectionParameters.Default,
                DisciplineParameters.Default with { MinPoll = 6, MaxPoll = 10 }, null, disciplineClock: false);
            _resolver = new HostResolver(_ => answers(Interlocked.Increment(ref _lookups) - 1));
            var template = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Any, 123), AssociationMode.Client,
                true, false, false, false, false, 6, 10, 4, PoolName);
            _mobilizer = new NameMobilizer([new PendingAssociation(PoolName, true, template)], _resolver, maxClock)
            {
                Mobilize = settings => Sources.Mobilize(settings, Now),
                Demobilize = id =>
                {
                    RemoteSource source = Sources.Sources.Single(s => s.Id == id);
                    RemovedAt[source.Association.Settings.Address.Address] = Now.MonoSeconds;
                    Demobilized.Add(id);
                    Assert.True(Sources.Demobilize(id, _actions));
                },
                Log = Log.Add,
            };
            Sources.Start(Now);
        }

        public SourceManager Sources { get; }

        public List<string> Log { get; } = [];

        public List<int> Demobilized { get; } = [];

        public HashSet<IPAddress> Silent { get; } = [];

        public Dictionary<IPAddress, double> ServedOffsets { get; } = [];

        public Dictionary<IPAddress, double> RemovedAt { get; } = [];

        public Dictionary<IPAddress, double> FirstFalsetickerAt { get; } = [];

        public LoopTime Now => new(_mono, NtpTimestamp.FromUnixNanoseconds(StartUnixNanoseconds + _mono));

        public bool HasMember(IPAddress address) => Sources.Sources.Any(s => s.Association.Settings.Address.Address.Equals(address));

        /// <summary>Polls (packets more than a burst spacing after the previous one) sent to <paramref name="address"/> before a time.</summary>
        public int PollsOf(IPAddress address, double before)
        {
            int polls = 0;
            double previous = double.NegativeInfinity;
            foreach (double sent in _sendTimes.GetValueOrDefault(address) ?? [])
            {
                if (sent < before && sent - previous > RemoteAssociation.BurstSpacingSeconds + 0.5)
                {
                    polls++;
                }

                previous = sent;
            }

            return polls;
        }

        /// <summary>Runs the loop (mobilizer, then due polls and their replies) up to <paramref name="monoSeconds"/>
        /// or until <paramref name="stopWhen"/> holds; at most 10 000 iterations.</summary>
        public void RunUntil(double monoSeconds, Func<bool>? stopWhen = null)
        {
            for (int i = 0; i < 10_000 && Now.MonoSeconds <= monoSeconds; i++)
            {
                double nextNames = RunMobilizer();
                _actions.Clear();
                Sources.OnTimer(Now, _actions);
                Answer();
                NoteFalsetickers();
                if (stopWhen?.Invoke() == true)
                {
                    return;
                }

                long next = Math.Min(Sources.NextDeadline(), (long)Math.Ceiling(nextNames * 1e9));
                _mono = Math.Max(next, _mono + 1_000_000);
            }
        }

        // The mobilizer's turn; while a lookup is out, wait for the resolver thread (bounded) with
        // simulated time standing still, so every run sees the same sequence.
        private double RunMobilizer()
        {
            double next = _mobilizer.OnTimer(Now.MonoSeconds, Sources);
            for (int i = 0; i < 500 && _mobilizer.Busy; i++)
            {
                Thread.Sleep(5);
                next = _mobilizer.OnTimer(Now.MonoSeconds, Sources);
            }

            Assert.False(_mobilizer.Busy, "the resolver did not answer");
            return next;
        }

        private void Answer()
        {
            var packets = _actions.Packets.ToList();
            foreach (OutgoingPacket packet in packets)
            {
                RemoteSource source = Sources.Sources.Single(s => s.Id == packet.AssociationId);
                IPAddress address = source.Association.Settings.Address.Address;
                if (!_sendTimes.TryGetValue(address, out List<double>? times))
                {
                    _sendTimes[address] = times = [];
                }

                times.Add(Now.MonoSeconds);
                Sources.MarkSent(packet.AssociationId, Now.Real);
                if (Silent.Contains(address))
                {
                    continue;
                }

                byte[] reply = Reply(_actions.PacketBytes(packet), ServedOffsets.GetValueOrDefault(address));
                var arrival = new LoopTime(Now.Mono + 2_000_000, Now.Real + NtpDuration.FromSeconds(0.002));
                Sources.OnReply(packet.AssociationId, reply, arrival.Real, arrival, new EngineActions());
            }
        }

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

        public void Dispose()
        {
            _mobilizer.Dispose();
            _resolver.Dispose();
        }
    }

    // Cookies and poll jitter from a fixed seed (splitmix64), so every run polls at the same instants.
    private sealed class SeededRandom : IRandomSource
    {
        private ulong _state = 4;

        public ulong NextUInt64()
        {
            ulong z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}

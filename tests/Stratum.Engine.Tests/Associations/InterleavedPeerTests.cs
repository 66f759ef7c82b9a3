// The interleaved symmetric mode (RFC 9769 §3, `xleave` on peer lines) between two RemoteAssociations:
// peer B's clock is 5 ms ahead of A's, every packet takes 1 ms each way, and each packet leaves 200 µs
// after it was built (the gap between the transmit timestamp a basic packet carries and its departure).
// Basic peers measure the offset off by half that gap; interleaved peers, which send in each packet
// when their previous one really left, measure it exactly once both sides interleave. A peer without
// `xleave` keeps answering in basic mode and both still measure it. A lost packet breaks one
// interleaved pair, which is refused, and the next pair is measured again.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.Associations;

public sealed class InterleavedPeerTests
{
    private const double BAhead = 0.005;
    private const double OneWay = 0.001;
    private const double SendLag = 200e-6;
    private const double Step = 0.05;

    private sealed class Side(string name, RemoteAssociation association, double clockAhead)
    {
        public string Name { get; } = name;

        public RemoteAssociation Association { get; } = association;

        public double ClockAhead { get; } = clockAhead;

        public List<double> Offsets { get; } = [];

        public LoopTime Now(double trueSeconds) =>
            new((long)(trueSeconds * 1e9) + 5_000_000_000, NtpTimestamp.FromUnixNanoseconds(EngineTestClock.StartUnixNanoseconds + (long)((trueSeconds + ClockAhead) * 1e9)));
    }

    private static Side Create(string name, string remote, bool xleave, double clockAhead, ulong seed)
    {
        var system = new SystemVariables(-24);
        system.Update(LeapIndicator.NoWarning, 2, ReferenceId.FromAddress(IPAddress.Parse("192.0.2.1")), 0.001, 0.001,
            new LoopTime(5_000_000_000, NtpTimestamp.FromUnixNanoseconds(EngineTestClock.StartUnixNanoseconds)), "192.0.2.1");
        var settings = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse(remote), 123), AssociationMode.SymmetricActive,
            false, false, false, false, false, 4, 4, 4, remote) { Xleave = xleave };
        return new Side(name, new RemoteAssociation(1, settings, new SeededRandom(seed), system), clockAhead);
    }

    // Runs both peers for <paramref name="seconds"/>; <paramref name="drop"/> says which of a side's packets (by count) are lost.
    private static void Run(Side a, Side b, double seconds, Func<Side, int, bool>? drop = null)
    {
        a.Association.Start(a.Now(0));
        b.Association.Start(b.Now(0));
        var inFlight = new List<(double Arrival, Side To, byte[] Data)>();
        var sent = new Dictionary<Side, int> { [a] = 0, [b] = 0 };
        var buffer = new byte[NtpHeader.Size];
        for (double t = 0; t < seconds; t += Step)
        {
            foreach (Side side in (Side[])[a, b])
            {
                int length = side.Association.OnTimer(side.Now(t), buffer);
                if (length == 0)
                {
                    continue;
                }

                side.Association.MarkSent(side.Now(t + SendLag).Real);
                int count = sent[side]++;
                if (drop?.Invoke(side, count) != true)
                {
                    inFlight.Add((t + SendLag + OneWay, side == a ? b : a, buffer[..length]));
                }
            }

            foreach ((double arrival, Side to, byte[] data) in inFlight.Where(p => p.Arrival <= t + Step).OrderBy(p => p.Arrival).ToArray())
            {
                inFlight.Remove((arrival, to, data));
                if (to.Association.OnReply(data, to.Now(arrival).Real, to.Now(arrival).MonoSeconds, -24, out ClockSample sample) == ReplyVerdict.Accepted)
                {
                    to.Offsets.Add(sample.Offset);
                }
            }
        }
    }

    [Fact]
    public void BothInterleaved_MeasureTheOffsetWithoutTheSendLag()
    {
        Side a = Create("A", "192.0.2.2", xleave: true, clockAhead: 0, seed: 1);
        Side b = Create("B", "192.0.2.1", xleave: true, clockAhead: BAhead, seed: 2);
        Run(a, b, 300);

        Assert.True(a.Association.InterleavedReplies >= 10, $"A interleaved {a.Association.InterleavedReplies}");
        Assert.True(b.Association.InterleavedReplies >= 10, $"B interleaved {b.Association.InterleavedReplies}");
        Assert.True(a.Association.LastReplyInterleaved);
        // Once interleaved, exact to well under a microsecond (basic would be off by SendLag / 2 = 100 µs).
        Assert.Equal(BAhead, a.Offsets[^1], 7);
        Assert.Equal(-BAhead, b.Offsets[^1], 7);
        Assert.Equal(2 * OneWay, a.Association.LastSample!.Value.Delay, 7);
    }

    [Fact]
    public void OnlyOneSideInterleaves_BothStayInBasicMode_AndStillMeasure()
    {
        Side a = Create("A", "192.0.2.2", xleave: true, clockAhead: 0, seed: 1);
        Side b = Create("B", "192.0.2.1", xleave: false, clockAhead: BAhead, seed: 2);
        Run(a, b, 300);

        Assert.Equal(0, a.Association.InterleavedReplies);
        Assert.True(a.Offsets.Count >= 10 && b.Offsets.Count >= 10, $"A {a.Offsets.Count} B {b.Offsets.Count} samples");
        // B's packets carry their build time, 200 µs before they leave: A's basic measurement is off by half of it.
        Assert.Equal(BAhead - (SendLag / 2), a.Offsets[^1], 6);
    }

    [Fact]
    public void ALostPacket_BreaksOnePair_ThenInterleavingResumes()
    {
        Side a = Create("A", "192.0.2.2", xleave: true, clockAhead: 0, seed: 1);
        Side b = Create("B", "192.0.2.1", xleave: true, clockAhead: BAhead, seed: 2);
        Run(a, b, 600, drop: (side, count) => side.Name == "B" && count == 10);

        Assert.True(a.Association.DroppedReplies[(int)ReplyVerdict.BogusOrigin] >= 1);
        Assert.True(a.Association.LastReplyInterleaved);
        Assert.Equal(BAhead, a.Offsets[^1], 7);
        Assert.All(a.Offsets.Skip(a.Offsets.Count / 2), offset => Assert.Equal(BAhead, offset, 6));
    }
}

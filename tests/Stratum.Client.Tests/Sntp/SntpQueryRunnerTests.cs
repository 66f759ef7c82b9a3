// The runner over a scripted transport: it sends, waits only until the engine's deadline, stamps T4
// from the transport and stops when every server is done. Time is fake and advanced by the transport.
using System.Net;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Client.Tests.Sntp;

public class SntpQueryRunnerTests
{
    private const long Second = 1_000_000_000;
    private const long RealStart = 1_700_725_200L * Second;

    [Fact]
    public void Run_ServerAnswersEveryRequest_FillsAllSamples()
    {
        var transport = new EchoServerTransport(answer: true, serverAheadSeconds: 0.25);
        var engine = new SntpQueryEngine([EchoServerTransport.Server], new SntpQueryOptions { Samples = 4 }, 0);
        ulong cookie = 100;

        SntpQueryRunner.Run(engine, transport, transport.Clock, () => cookie++);

        Assert.Equal(4, engine.Servers[0].Samples.Count);
        Assert.All(engine.Servers[0].Samples, s => Assert.Equal(0.25, s!.Value.Offset.TotalSeconds, 6));
        Assert.Equal(4, transport.Sent);

        // Three gaps of one timeout (2 s) after each reply, plus four round trips.
        Assert.InRange(transport.Now, 6 * Second, (6 * Second) + (Second / 100));
    }

    [Fact]
    public void Run_ServerSilent_TimesOutEachSample()
    {
        var transport = new EchoServerTransport(answer: false, serverAheadSeconds: 0);
        var engine = new SntpQueryEngine([EchoServerTransport.Server], new SntpQueryOptions { Samples = 3, TimeoutNanoseconds = Second }, 0);

        SntpQueryRunner.Run(engine, transport, transport.Clock, () => 7);

        Assert.Equal([null, null, null], engine.Servers[0].Samples);
        Assert.Equal(3, transport.Sent);
        Assert.Equal(3 * Second, transport.Now);
    }

    /// <summary>One fake server 0.1 ms away that answers mode 3 with mode 4, and a fake clock.</summary>
    private sealed class EchoServerTransport : INtpTransport
    {
        public static readonly IPEndPoint Server = new(IPAddress.Loopback, 123);

        private readonly bool _answer;
        private readonly double _serverAhead;
        private byte[]? _pending;
        private long _pendingArrival;

        public EchoServerTransport(bool answer, double serverAheadSeconds)
        {
            _answer = answer;
            _serverAhead = serverAheadSeconds;
            Clock = new SntpClock(() => RealStart + Now, () => Now);
        }

        public long Now { get; private set; }

        public int Sent { get; private set; }

        public SntpClock Clock { get; }

        public TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
        {
            Sent++;
            if (!_answer)
            {
                return TransportError.None;
            }

            var request = NtpHeader.Read(datagram);
            var serverTime = NtpTimestamp.FromUnixNanoseconds(RealStart + Now + 50_000 + (long)(_serverAhead * Second));
            var reply = new NtpHeader(LeapIndicator.NoWarning, request.Version, NtpMode.Server, 1, 6, -20, default, default,
                ReferenceId.FromAscii("GPS"), serverTime - NtpDuration.FromSeconds(16), request.TransmitTime, serverTime, serverTime);
            _pending = new byte[NtpHeader.Size];
            reply.Write(_pending);
            _pendingArrival = Now + 100_000;
            return TransportError.None;
        }

        public bool TryReceive(Span<byte> buffer, long timeoutNanoseconds, out ReceivedDatagram datagram)
        {
            if (_pending is { } data && _pendingArrival <= Now + timeoutNanoseconds)
            {
                Now = Math.Max(Now, _pendingArrival);
                data.CopyTo(buffer);
                _pending = null;
                datagram = new ReceivedDatagram(data.Length, Server, RealStart + Now);
                return true;
            }

            Now += timeoutNanoseconds;
            datagram = default;
            return false;
        }

        public void Dispose()
        {
        }
    }
}

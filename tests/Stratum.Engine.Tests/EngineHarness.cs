// EngineHarness: runs an NtpEngine on hand-advanced time (EngineTestClock) through the daemon's own
// action executor (EngineActionExecutor), as DaemonHost and the simulator do: the harness is the I/O
// shell. Association requests go to a scripted server (Answer: the reply and its one-way delay, or
// null for silence), whose replies come back through NtpEngine.OnDatagram on the association's socket;
// name lookups go to a scripted resolver and are answered at the next timer, as the daemon drains its
// resolver; notices and statistics records are kept; clock actions land on a driver that ignores them.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Platform.Clock;
using Stratum.Platform.Hosting;

namespace Stratum.Engine.Tests;

internal sealed class EngineHarness : IDatagramSender, ILogSink, IStatisticsSink, INameResolver
{
    private readonly EngineActions _actions = new();
    private readonly EngineActionExecutor _executor;
    private readonly Dictionary<int, IPEndPoint> _sockets = [];
    private readonly List<(int Id, byte[] Request)> _sent = [];
    private readonly List<(int Token, string Name)> _lookups = [];
    private readonly byte[] _reply = new byte[NtpPacket.MaxLength];

    /// <param name="acceptSlews">The test clock driver reports slews (and so the kernel PLL) as applied, though
    /// the clock never moves: for tests of what the host reports when the kernel discipline comes on.</param>
    public EngineHarness(NtpEngine engine, EngineTestClock clock, bool acceptSlews = false)
    {
        Engine = engine;
        Clock = clock;
        _executor = new EngineActionExecutor(engine, new TestClockDriver(clock, acceptSlews), this, this, useKernel: true)
        {
            Statistics = this,
            Resolver = this,
        };
        engine.OnListening([], [], _actions);
        CarryOut();
    }

    public NtpEngine Engine { get; }

    public EngineTestClock Clock { get; }

    /// <summary>The scripted server: the reply to association <c>id</c>'s request and the delay until it
    /// arrives (seconds; the clock advances by it), or null when it does not answer.</summary>
    public Func<int, IPEndPoint, byte[], (byte[] Reply, double Delay)?>? Answer { get; set; }

    /// <summary>The scripted resolver: a name's addresses (empty: it does not resolve).</summary>
    public Func<string, IPAddress[]>? Resolve { get; set; }

    /// <summary>Association requests as they were sent: association, monotonic seconds, remote address.</summary>
    public List<(int Id, double MonoSeconds, IPAddress Remote)> Requests { get; } = [];

    /// <summary>Association sockets closed: association, monotonic seconds, remote address.</summary>
    public List<(int Id, double MonoSeconds, IPAddress Remote)> Closed { get; } = [];

    public List<EngineNotice> Notices { get; } = [];

    public List<PeerStatsRecord> PeerStats { get; } = [];

    public List<LoopStatsRecord> LoopStats { get; } = [];

    public List<RawStatsRecord> RawStats { get; } = [];

    public List<ProtoStatsRecord> ProtoStats { get; } = [];

    /// <summary>The deadline the Engine asked for last.</summary>
    public long NextDeadline { get; private set; } = long.MaxValue;

    public void Start()
    {
        Engine.Start(Clock.Now, _actions);
        NextDeadline = CarryOut();
    }

    /// <summary>While the clock is before <paramref name="endMono"/>: advances to the next deadline and runs
    /// the timer with its exchanges (the last timer may lie past the end); stops early when
    /// <paramref name="stopWhen"/> holds after a timer, or when nothing is scheduled; at most 100 000 timers.</summary>
    public void RunUntil(long endMono, Func<bool>? stopWhen = null)
    {
        for (int i = 0; i < 100_000 && Clock.Mono < endMono && NextDeadline != long.MaxValue; i++)
        {
            Clock.Advance(Math.Max(0, NextDeadline - Clock.Mono) / 1e9);
            OnTimer();
            if (stopWhen?.Invoke() == true)
            {
                return;
            }
        }
    }

    /// <summary>One timer: finished lookups first (as the daemon drains its resolver), then the Engine's
    /// timer, then the exchanges of the requests it sent.</summary>
    public void OnTimer()
    {
        foreach ((int token, string name) in _lookups.ToList())
        {
            IPAddress[] addresses = Resolve?.Invoke(name) ?? [];
            Engine.OnResolved(token, addresses, addresses.Length == 0 ? "Name or service not known" : null, Clock.Now, _actions);
        }

        _lookups.Clear();
        NextDeadline = Engine.OnTimer(Clock.Now, _actions);
        CarryOut();
        Exchange();
    }

    private void Exchange()
    {
        List<(int Id, byte[] Request)> sent = [.. _sent];
        _sent.Clear();
        foreach ((int id, byte[] request) in sent)
        {
            if (!_sockets.TryGetValue(id, out IPEndPoint? remote) || Answer?.Invoke(id, remote, request) is not { } answer)
            {
                continue;
            }

            Clock.Advance(answer.Delay);
            var datagram = DatagramContext.ForAssociation(id, ClientAddress.From(remote.Address, remote.Port), Clock.Now.Real, Clock.Now, answer.Reply);
            Engine.OnDatagram(datagram, _reply, _actions);
            long deadline = CarryOut();
            if (deadline != long.MaxValue)
            {
                NextDeadline = deadline;
            }
        }
    }

    private long CarryOut()
    {
        long deadline = _actions.NextDeadline;
        _executor.CarryOut(_actions);
        _actions.Clear();
        return deadline;
    }

    SendResult IDatagramSender.SendToAssociation(int associationId, ReadOnlySpan<byte> packet)
    {
        if (!_sockets.TryGetValue(associationId, out IPEndPoint? remote))
        {
            return SendResult.NoSocket;
        }

        Requests.Add((associationId, Clock.Now.MonoSeconds, remote.Address));
        _sent.Add((associationId, packet.ToArray()));
        return SendResult.Sent;
    }

    void IDatagramSender.SendAnswer(ReadOnlySpan<byte> datagram)
    {
    }

    void IDatagramSender.OpenAssociationSocket(int associationId, IPEndPoint remote, string name, AssociationSocketOptions options) => _sockets[associationId] = remote;

    void IDatagramSender.CloseAssociationSocket(int associationId)
    {
        if (_sockets.Remove(associationId, out IPEndPoint? remote))
        {
            Closed.Add((associationId, Clock.Now.MonoSeconds, remote.Address));
        }
    }

    void ILogSink.Notice(in EngineNotice notice) => Notices.Add(notice);

    void ILogSink.ClockReport(in ClockActionReport report) => Notices.Add(new EngineNotice(report.Failed ? NoticeKind.Fatal : NoticeKind.Info, report.Text));

    void ILogSink.Error(string text) => Notices.Add(new EngineNotice(NoticeKind.Info, text));

    void IStatisticsSink.Record(EngineActions actions, long unixNanoseconds, Func<int, string?> localAddressOf)
    {
        PeerStats.AddRange(actions.PeerStats);
        LoopStats.AddRange(actions.LoopStats);
        RawStats.AddRange(actions.RawStats);
        ProtoStats.AddRange(actions.ProtoStats);
    }

    bool INameResolver.Request(int token, string name, System.Net.Sockets.AddressFamily family)
    {
        _lookups.Add((token, name));
        return true;
    }

    /// <summary>The test clock as a clock driver that reads it and ignores every write (slews reported as applied
    /// when <paramref name="acceptSlews"/>).</summary>
    private sealed class TestClockDriver(EngineTestClock clock, bool acceptSlews) : IClockDriver
    {
        public string Name => "test";

        public bool CanAdjust => false;

        public long ReadRealtimeNanoseconds() => clock.Real;

        public long ReadMonotonicNanoseconds() => clock.Mono;

        public long MapKernelRealtime(long kernelRealtimeNanoseconds) => kernelRealtimeNanoseconds;

        public ClockWriteResult Step(double offsetSeconds) => ClockWriteResult.Ignored;

        public ClockWriteResult Slew(double offsetSeconds) => acceptSlews ? ClockWriteResult.Applied : ClockWriteResult.Ignored;

        public ClockWriteResult SetFrequency(double frequency) => ClockWriteResult.Ignored;

        public ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds) => ClockWriteResult.Ignored;
    }
}

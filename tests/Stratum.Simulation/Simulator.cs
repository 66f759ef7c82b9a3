// Simulator: the discrete-event core of docs/simulation.md "Global time and events". One true time T
// starts at 0; programs run in zero time and then block; T jumps to the earliest of: a queued packet
// arrival, a scheduled scenario action (a server step, a falseticker turning bad), a node's timer
// deadline (its monotonic deadline converted at the clock's present rate), and the next model tick
// k/R. Ties are broken in that order, then by arrival/scheduling order or node index, so a run is a
// pure function of its seed and configuration. At each tick every node's error is recorded, the
// kernel does its second's work (on whole seconds) and the oscillators draw their wander.
using Stratum.Simulation.Clock;
using Stratum.Simulation.Measurement;
using Stratum.Simulation.Network;
using Stratum.Simulation.Nodes;
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation;

/// <summary>Runs nodes, clocks and network in true time.</summary>
public sealed class Simulator
{
    private const ulong NodeSeedSalt = 0x5DEECE66DUL;
    private const int MaxTimerEventsAtOneInstant = 10_000;

    private readonly SimulationRandom _master;
    private readonly List<SimulatedNode> _nodes = [];
    private readonly PriorityQueue<Action, (double Time, long Sequence)> _scheduled = new();
    private long _scheduleSequence;
    private long _tickIndex;
    private bool _started;

    public Simulator(SimulatorOptions? options = null)
    {
        Options = options ?? new SimulatorOptions();
        if (Options.TickRate < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.TickRate, "the tick rate must be at least 1 Hz");
        }

        _master = new SimulationRandom(Options.Seed);
        Network = new SimulatedNetwork(_master, Options.DefaultDelay ?? DelayModel.Lan);
    }

    public SimulatorOptions Options { get; }

    public SimulationTime Time { get; } = new();

    public SimulatedNetwork Network { get; }

    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    /// <summary>Events handled so far (ticks, deliveries, timers, scheduled actions).</summary>
    public long EventCount { get; private set; }

    /// <summary>Model ticks so far.</summary>
    public long TickCount => _tickIndex;

    /// <summary>Adds a node running <paramref name="program"/>; its address is 192.168.123.(index + 1).</summary>
    public SimulatedNode AddNode(string name, ISimulatedClient program, NodeOptions? options = null)
    {
        if (_started)
        {
            throw new InvalidOperationException("nodes are added before the run starts");
        }

        options ??= NodeOptions.Perfect;
        int index = _nodes.Count;
        var oscillator = new Oscillator(options.FrequencyOffset, options.WanderSigma, Options.TickRate, _master.CreateStream());
        var clock = new SimulatedClock(Time, oscillator, new KernelDiscipline(options.ShiftPll), Options.StartUnixSeconds, options.InitialOffsetSeconds);
        var nodeRandom = new SimulationRandom(unchecked((Options.Seed + (ulong)index) ^ NodeSeedSalt));
        var context = new SimContext(index, new SimulatedClockDriver(clock), nodeRandom, Time, Network);
        var node = new SimulatedNode(index, name, clock, program, context, new ErrorSeries(1.0 / Options.TickRate, 4096));
        _nodes.Add(node);
        Network.NodeCount = _nodes.Count;
        return node;
    }

    /// <summary>Runs <paramref name="action"/> at true time <paramref name="trueTime"/> (scenario events).</summary>
    public void ScheduleAt(double trueTime, Action action)
    {
        if (!(trueTime >= Time.Now))
        {
            throw new ArgumentOutOfRangeException(nameof(trueTime), trueTime, $"true time is already {Time.Now}");
        }

        _scheduled.Enqueue(action, (trueTime, _scheduleSequence++));
    }

    /// <summary>Runs until true time <paramref name="untilTrueTime"/> (events at that instant included).</summary>
    public void RunUntil(double untilTrueTime)
    {
        if (!_started)
        {
            _started = true;
            foreach (SimulatedNode node in _nodes)
            {
                node.Program.Start(node.Context);
            }
        }

        double tickInterval = 1.0 / Options.TickRate;
        int timerEventsAtThisInstant = 0;
        double lastTimerInstant = double.NaN;
        while (true)
        {
            double nextTick = (_tickIndex + 1) * tickInterval;
            double nextArrival = Network.NextArrivalTime;
            double nextScheduled = _scheduled.TryPeek(out _, out (double Time, long Sequence) key) ? key.Time : double.PositiveInfinity;
            (double nextDeadline, SimulatedNode? timerNode) = EarliestDeadline();
            double next = Math.Min(Math.Min(nextTick, nextArrival), Math.Min(nextScheduled, nextDeadline));
            if (next > untilTrueTime)
            {
                Time.AdvanceTo(untilTrueTime);
                return;
            }

            Time.AdvanceTo(next);
            EventCount++;
            if (nextArrival == next)
            {
                Deliver(Network.Dequeue());
            }
            else if (nextScheduled == next)
            {
                _scheduled.Dequeue()();
            }
            else if (nextDeadline == next && timerNode is not null)
            {
                if (lastTimerInstant == next && ++timerEventsAtThisInstant > MaxTimerEventsAtOneInstant)
                {
                    throw new InvalidOperationException($"{timerNode} keeps asking for a timer at the same instant");
                }

                if (lastTimerInstant != next)
                {
                    lastTimerInstant = next;
                    timerEventsAtThisInstant = 0;
                }

                timerNode.Program.OnTimer(timerNode.Context);
            }
            else
            {
                Tick();
            }
        }
    }

    private (double Time, SimulatedNode? Node) EarliestDeadline()
    {
        double earliest = double.PositiveInfinity;
        SimulatedNode? earliestNode = null;
        foreach (SimulatedNode node in _nodes)
        {
            long deadline = node.Program.NextDeadline;
            if (deadline == long.MaxValue)
            {
                continue;
            }

            double at = Time.Now + node.Clock.TrueSecondsUntilMono(deadline);
            if (at < earliest)
            {
                earliest = at;
                earliestNode = node;
            }
        }

        return (earliest, earliestNode);
    }

    private void Deliver(SimulatedDatagram datagram)
    {
        SimulatedNode node = _nodes[datagram.ToNode];
        long receiveStamp = node.Clock.RealtimeNanoseconds;
        node.Program.OnDatagram(node.Context, datagram.Payload, datagram.Source, datagram.Destination, receiveStamp);
    }

    private void Tick()
    {
        _tickIndex++;
        bool kernelSecond = _tickIndex % Options.TickRate == 0;
        foreach (SimulatedNode node in _nodes)
        {
            SimulatedClock clock = node.Clock;
            node.Errors.Record(Time.Now, clock.TimeError, clock.FrequencyError);
            clock.OnModelTick(kernelSecond);
        }
    }
}

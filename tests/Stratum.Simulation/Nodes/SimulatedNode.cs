// SimulatedNode: one machine of the simulation: its clock (oscillator + kernel), the clock driver
// its program uses, the program itself, its context (address, random stream, send) and its per-tick
// error log.
using System.Net;
using Stratum.Simulation.Clock;
using Stratum.Simulation.Measurement;

namespace Stratum.Simulation.Nodes;

/// <summary>A simulated machine.</summary>
public sealed class SimulatedNode
{
    public SimulatedNode(int index, string name, SimulatedClock clock, ISimulatedClient program, SimContext context, ErrorSeries errors)
    {
        Index = index;
        Name = name;
        Clock = clock;
        Program = program;
        Context = context;
        Errors = errors;
    }

    public int Index { get; }

    public string Name { get; }

    public IPAddress Address => Context.LocalAddress;

    /// <summary>The NTP endpoint (address, port 123).</summary>
    public IPEndPoint Endpoint => new(Address, SimContext.NtpPort);

    public SimulatedClock Clock { get; }

    public SimulatedClockDriver Driver => Context.Clock;

    public ISimulatedClient Program { get; }

    public SimContext Context { get; }

    public ErrorSeries Errors { get; }

    public override string ToString() => $"{Name} ({Address})";
}

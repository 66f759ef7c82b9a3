// Scenario: builds one run of the sync-engine scenarios' setup (docs/simulation.md "Scenarios"): N perfect servers
// (SimulatedServer, stratum 1), one client running the real Engine (EngineClient), per-direction delay
// models, and the client's clock options. Tests then script events (server steps, leap warnings, outages)
// with Simulator.ScheduleAt and read the client's error series, notices and source states.
using Stratum.Engine.Discipline;
using Stratum.Simulation.Measurement;
using Stratum.Simulation.Network;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Scenarios;

/// <summary>One scenario run: servers, a client, the links between them.</summary>
internal sealed class Scenario
{
    private Scenario(Simulator simulator, List<SimulatedNode> servers, EngineClient client, SimulatedNode clientNode)
    {
        Simulator = simulator;
        Servers = servers;
        Client = client;
        ClientNode = clientNode;
    }

    public Simulator Simulator { get; }

    public List<SimulatedNode> Servers { get; }

    public EngineClient Client { get; }

    public SimulatedNode ClientNode { get; }

    public ErrorSeries Errors => ClientNode.Errors;

    public SimulatedServer ServerProgram(int index) => (SimulatedServer)Servers[index].Program;

    /// <param name="seed">Master seed.</param>
    /// <param name="servers">Number of servers.</param>
    /// <param name="clientClock">The client's clock (default: 0.1 s off, +100 ppm, σ = 1e-9).</param>
    /// <param name="upstream">Client → server delay (default S1's LAN).</param>
    /// <param name="downstream">Server → client delay (default S1's LAN).</param>
    /// <param name="discipline">tinker/-g/-x parameters (minpoll = maxpoll = 6 as in docs/simulation.md).</param>
    /// <param name="startUnixSeconds">Unix time at T = 0.</param>
    /// <param name="useKernel">False for `disable kernel`: the user-space discipline (adjtime slews).</param>
    public static Scenario Create(
        int seed,
        int servers = 1,
        NodeOptions? clientClock = null,
        DelayModel? upstream = null,
        DelayModel? downstream = null,
        DisciplineParameters? discipline = null,
        long? startUnixSeconds = null,
        bool useKernel = true)
    {
        var options = new SimulatorOptions(Seed: (ulong)seed);
        if (startUnixSeconds is long start)
        {
            options = options with { StartUnixSeconds = start };
        }

        var simulator = new Simulator(options);
        var serverNodes = new List<SimulatedNode>();
        for (int i = 0; i < servers; i++)
        {
            serverNodes.Add(simulator.AddNode($"server{i}", new SimulatedServer()));
        }

        DisciplineParameters parameters = (discipline ?? DisciplineParameters.Default) with { MinPoll = 6, MaxPoll = 6 };
        EngineClient client = EngineClient.ForServers(serverNodes.Select(n => n.Endpoint).ToList(), discipline: parameters, useKernel: useKernel);
        SimulatedNode clientNode = simulator.AddNode("client", client, clientClock ?? NodeOptions.ScenarioClient);
        foreach (SimulatedNode server in serverNodes)
        {
            simulator.Network.SetLink(clientNode.Index, server.Index, upstream ?? DelayModel.Lan);
            simulator.Network.SetLink(server.Index, clientNode.Index, downstream ?? DelayModel.Lan);
        }

        return new Scenario(simulator, serverNodes, client, clientNode);
    }

    public void RunUntil(double seconds) => Simulator.RunUntil(seconds);

    /// <summary>The client's frequency error once its frequency correction is applied (slews left out),
    /// now: how far the disciplined frequency is from the oscillator's (+100 ppm plus wander).</summary>
    public double FinalFrequencyError => ClientNode.Clock.DisciplinedFrequencyError;

    /// <summary>The statistics of this run (docs/simulation.md "Measurement"), from 1 h, and its convergence time (column A:
    /// within 1 ms and 500 ppm from then on), written as one line "LABEL: RMS …, max …, sync … s,
    /// frequency error … ppm"; the last is <see cref="FinalFrequencyError"/> at the end of the run.</summary>
    public (ErrorStatistics Settled, double Sync) Report(string label, ITestOutputHelper output, string extra = "")
    {
        ArgumentNullException.ThrowIfNull(output);
        ErrorStatistics settled = Errors.TimeErrorStatistics(fromTrueTime: 3600);
        double sync = Errors.ConvergenceTime(1e-3, 500e-6);
        output.WriteLine($"{label}: RMS {settled.Rms * 1e6:0.0} µs, max {settled.MaxAbsolute * 1e6:0.0} µs, mean {settled.Mean * 1e6:0.0} µs, sync {sync:0} s, "
            + $"frequency error {FinalFrequencyError * 1e6:+0.000;-0.000} ppm (oscillator wander {ClientNode.Clock.Oscillator.Wander * 1e6:+0.000;-0.000} ppm), sync < 1 ms {Errors.ConvergenceTime(1e-3):0} s{extra}");
        return (settled, sync);
    }

    /// <summary>Asserts |<see cref="FinalFrequencyError"/>| ≤ <paramref name="bound"/> (s/s).</summary>
    public void AssertFrequencyErrorWithin(double bound) =>
        Assert.True(Math.Abs(FinalFrequencyError) <= bound, $"frequency error {FinalFrequencyError * 1e6:0.000} ppm, bound {bound * 1e6:0.000} ppm");

    /// <summary>Asserts RMS and max of the settled error (seconds) and the convergence time (seconds).</summary>
    public static void AssertWithin((ErrorStatistics Settled, double Sync) report, double rms, double max, double sync)
    {
        Assert.True(report.Settled.Rms < rms, $"RMS {report.Settled.Rms * 1e6:0.0} µs");
        Assert.True(report.Settled.MaxAbsolute < max, $"max {report.Settled.MaxAbsolute * 1e6:0.0} µs");
        Assert.True(report.Sync < sync, $"sync {report.Sync} s");
    }

    /// <summary>True if the client ever logged "synchronized to" the server with this index.</summary>
    public bool EverSelected(int serverIndex) =>
        Client.Notices.Any(n => n.Text.StartsWith($"synchronized to {Servers[serverIndex].Address},", StringComparison.Ordinal));
}

// Broadcast and manycast end to end on the real Engine (ntpd 4.2.8 semantics), over the simulated
// network's group delivery. A stratum-1 server (the Engine with `server 127.127.1.0` and `fudge
// 127.127.1.0 stratum 0`, a perfect clock) has `broadcast 192.168.123.255 minpoll 4 key 1`; three
// clients with `broadcastclient`, `enable auth` and `trustedkey 1` sit 0.2 ms, 1 ms and 3 ms from it
// (one way, fixed, both directions), their clocks 50 ms ahead and +20, -35, +50 ppm fast. Each must
// mobilize one broadcast client association for the server, run the calibration volley (8 signed
// client requests) and select it; with the delay calibrated it must then follow the server's
// broadcasts (every 16-17 s) within microseconds; with `broadcastdelay` set to each link's round trip
// there is no volley and they must too. Unsigned broadcasts mobilize nothing while `enable auth` is
// on, and do with `disable auth`. Manycast: two stratum-1 `manycastserver`s answer a client's
// `manycastclient 239.1.1.1 key 1`, which mobilizes a client association for each and synchronizes.
// The volley's offset is referred to the client's own clock corrections before it calibrates the delay
// (an earlier Engine read those corrections as network delay: 59-68 ms calibrated, 26-34 ms off).
// Criteria: measured on seeds 1-3, with a margin of about 2x (figures in each assertion's comment).
using System.Net;
using Stratum.Core.Auth;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Simulation.Measurement;
using Stratum.Simulation.Network;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Scenarios;

public class BroadcastScenarioTests(ITestOutputHelper output)
{
    private const double TwoHours = 2 * 3600;
    private const byte KeyId = 1;

    private static readonly double[] s_oneWayDelays = [0.2e-3, 1e-3, 3e-3];
    private static readonly double[] s_frequencies = [20e-6, -35e-6, 50e-6];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SignedBroadcasts_EachClientMobilizesOneAssociation_RunsTheVolleyAndSelectsIt(int seed)
    {
        BroadcastRun run = BroadcastRun.Create(seed, signed: true, authenticate: true);
        run.Simulator.RunUntil(TwoHours);
        run.Report($"seed {seed}", output);

        // The server serves stratum 1 and broadcasts every 16 s plus up to 1 s of jitter: ~436 in 2 h
        // (measured 432-438), none before its local clock's first sample.
        Assert.Equal(1, run.Server.Engine.System.Stratum);
        Assert.InRange(run.Server.Manager.Sources[0].Association.PacketsSent, 420, 450);
        for (int i = 0; i < run.Clients.Count; i++)
        {
            (EngineClient client, SimulatedNode node) = run.Clients[i];
            RemoteSource source = Assert.Single(client.Manager.Sources);
            RemoteAssociation association = source.Association;
            Assert.Equal(AssociationMode.BroadcastClient, association.Settings.Mode);
            Assert.Equal(run.ServerNode.Endpoint, association.Settings.Address);
            Assert.Equal(KeyId, association.Settings.KeyId);
            Assert.True(association.IsAuthentic, $"{node.Name}: broadcasts not authenticated");
            Assert.Single(client.Notices, n => n.Text == $"broadcast client: association {source.Id} mobilized for server {run.ServerNode.Address}");

            // The volley: eight signed client requests, then only listening, with a delay fixed from it.
            Assert.Equal(RemoteAssociation.BurstLength, association.PacketsSent);
            Assert.True(association.IsListening, $"{node.Name} still calibrating");
            Assert.NotNull(association.BroadcastDelay);
            Assert.True(association.IsReachable, $"{node.Name}: the server unreachable at the end");

            Assert.Equal(source.Id, client.Manager.SystemPeer?.Id);
            Assert.Equal(2, client.Engine.System.Stratum);
            Assert.Contains(client.Notices, n => n.Text == $"synchronized to {run.ServerNode.Address}, stratum 1");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SignedBroadcasts_VolleyCalibratesTheDelay_ClientsFollowWithinMicroseconds(int seed)
    {
        BroadcastRun run = BroadcastRun.Create(seed, signed: true, authenticate: true);
        run.Simulator.RunUntil(TwoHours);
        ErrorStatistics[] lastHour = run.Report($"seed {seed}", output);
        for (int i = 0; i < run.Clients.Count; i++)
        {
            (EngineClient client, SimulatedNode node) = run.Clients[i];
            RemoteSource source = Assert.Single(client.Manager.Sources);
            Assert.Equal(source.Id, client.Manager.SystemPeer?.Id);

            // ntpd keeps the calibrated delay as a round trip (offset = T3 - T4 + delay / 2): half of it is the
            // one-way delay, within 20 % of the link's. With the volley offset referred to the corrected clock
            // (a trial fix of the Engine) seeds 1-3 calibrate 0.398, 1.989-1.990 and 5.952 ms (true 0.4, 2, 6).
            double oneWay = source.Association.BroadcastDelay!.Value / 2;
            Assert.True(Math.Abs(oneWay - s_oneWayDelays[i]) <= 0.2 * s_oneWayDelays[i],
                $"{node.Name}: one-way delay {oneWay * 1e3:0.000} ms, true {s_oneWayDelays[i] * 1e3:0.000} ms");

            // Trial fix, seeds 1-3, last hour: RMS 1.1-2.1 µs (0.2 ms), 5.5-5.9 µs (1 ms), 22.6-24.8 µs (3 ms:
            // the calibration's 48 µs error halved).
            Assert.True(lastHour[i].Rms < 50e-6, $"{node.Name}: RMS {lastHour[i].Rms * 1e6:0.0} µs over the last hour");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SignedBroadcasts_ConfiguredBroadcastDelay_NoVolley_ClientsFollowWithinMicroseconds(int seed)
    {
        // `broadcastdelay` set to each link's round trip (ntpd adds half of it): no volley, the listening path alone.
        BroadcastRun run = BroadcastRun.Create(seed, signed: true, authenticate: true, configuredDelay: true);
        run.Simulator.RunUntil(TwoHours);
        ErrorStatistics[] lastHour = run.Report($"seed {seed} broadcastdelay", output);
        for (int i = 0; i < run.Clients.Count; i++)
        {
            (EngineClient client, SimulatedNode node) = run.Clients[i];
            RemoteSource source = Assert.Single(client.Manager.Sources);
            Assert.Equal(0, source.Association.PacketsSent);
            Assert.Equal(2 * s_oneWayDelays[i], source.Association.BroadcastDelay);
            Assert.Equal(source.Id, client.Manager.SystemPeer?.Id);

            // Measured, seeds 1-3, last hour: RMS 1.0-2.1 µs (max 2.7-4.3 µs); |offset| < 1 ms from 30-35 s on.
            Assert.True(lastHour[i].Rms < 5e-6, $"{node.Name}: RMS {lastHour[i].Rms * 1e6:0.0} µs over the last hour");
            Assert.True(node.Errors.ConvergenceTime(1e-3) < 70, $"{node.Name}: |offset| < 1 ms only after {node.Errors.ConvergenceTime(1e-3):0} s");
        }
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public void UnsignedBroadcasts_MobilizeOnlyWithoutAuthentication(bool authenticate, int expected)
    {
        BroadcastRun run = BroadcastRun.Create(seed: 1, signed: false, authenticate: authenticate);
        run.Simulator.RunUntil(600);
        foreach ((EngineClient client, SimulatedNode node) in run.Clients)
        {
            output.WriteLine($"{node.Name}, auth {authenticate}: {client.Manager.Sources.Count} associations, {client.Engine.Casting.Restricted} broadcasts refused");
            Assert.Equal(expected, client.Manager.Sources.Count);
            if (authenticate)
            {
                // Every broadcast heard (~36 in 10 min) was refused for want of a MAC, and nothing was selected.
                Assert.True(client.Engine.Casting.Restricted >= 30, $"{node.Name}: {client.Engine.Casting.Restricted} refused");
                Assert.Null(client.Manager.SystemPeer);
            }
            else
            {
                Assert.Null(client.Manager.Sources[0].Association.Settings.KeyId);
                Assert.Equal(client.Manager.Sources[0].Id, client.Manager.SystemPeer?.Id);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Manycast_TwoServersAnswer_ClientMobilizesOneAssociationEach_AndSynchronizes(int seed)
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: (ulong)seed));
        var servers = new List<SimulatedNode>();
        for (int i = 0; i < 2; i++)
        {
            var server = new EngineClient([])
            {
                Keys = Ring(),
                LocalClocks = [LocalClock()],
                Casting = new CastSettings { ManycastServer = true },
            };
            servers.Add(simulator.AddNode($"server{i}", server));
        }

        var group = new IPEndPoint(IPAddress.Parse("239.1.1.1"), SimContext.NtpPort);
        var solicitor = new RemoteAssociationSettings(group, AssociationMode.Client, true, false, false, false, false, 6, 6, 4, group.Address.ToString())
        {
            KeyId = KeyId,
            IsManycastSolicitor = true,
        };
        var client = new EngineClient([solicitor], Stratum.Engine.Discipline.DisciplineParameters.Default with { MinPoll = 6, MaxPoll = 6 }) { Keys = Ring() };
        SimulatedNode clientNode = simulator.AddNode("client", client, NodeOptions.ScenarioClient);
        simulator.RunUntil(TwoHours);

        ErrorStatistics lastHour = clientNode.Errors.TimeErrorStatistics(fromTrueTime: TwoHours - 3600);
        output.WriteLine($"seed {seed}: associations {string.Join(", ", client.Manager.Sources.Select(s => $"{s.Id} {s.Association.Settings.DisplayName}"))}, "
            + $"system peer {client.Manager.SystemPeer?.Id}, last hour RMS {lastHour.Rms * 1e6:0.0} µs, max {lastHour.MaxAbsolute * 1e6:0.0} µs; "
            + $"declined {client.Engine.Casting.Declined}, solicitations sent {client.Manager.Sources[0].Association.PacketsSent}, "
            + $"server requests {string.Join("/", servers.Select(s => ((EngineClient)s.Program).Engine.Server.Counters.Replied))}");
        foreach (var notice in client.Notices)
        {
            output.WriteLine("   " + notice.Text);
        }

        RemoteSource[] mobilized = client.Manager.Sources.Where(s => !s.Association.Settings.IsManycastSolicitor).ToArray();
        Assert.Equal(servers.Select(s => s.Endpoint), mobilized.Select(s => s.Association.Settings.Address).OrderBy(e => e.ToString(), StringComparer.Ordinal));
        foreach (RemoteSource source in mobilized)
        {
            Assert.Equal(AssociationMode.Client, source.Association.Settings.Mode);
            Assert.Equal(KeyId, source.Association.Settings.KeyId);
            Assert.True(source.Association.IsAuthentic, $"{source.Association.Settings.DisplayName}: replies not authenticated");
        }

        Assert.Contains(mobilized, s => s.Id == client.Manager.SystemPeer?.Id);
        Assert.Equal(2, client.Engine.System.Stratum);

        // Measured, seeds 1-3, last hour: RMS 6.6-8.9 µs (max 17.1-23.1 µs) over the default LAN links.
        Assert.True(lastHour.Rms < 20e-6, $"RMS {lastHour.Rms * 1e6:0.0} µs over the last hour");
    }

    // `server 127.127.1.0` with `fudge 127.127.1.0 stratum 0`: the node serves stratum 1.
    private static LocalClockSettings LocalClock() => new(0, 0, 0, LocalClockSettings.DefaultReferenceId, false);

    // `keys` with key 1 (MD5) and `trustedkey 1`; each node has its own ring.
    private static KeyRing Ring() => new(new KeyTable([new SymmetricKey(KeyId, KeyType.Md5, "broadcast-sim"u8, [])]), [KeyId]);

    /// <summary>The broadcast server (node 0) and the three broadcast clients (nodes 1-3) with their fixed links to it.</summary>
    private sealed record BroadcastRun(Simulator Simulator, EngineClient Server, SimulatedNode ServerNode, List<(EngineClient Client, SimulatedNode Node)> Clients)
    {
        public static BroadcastRun Create(int seed, bool signed, bool authenticate, bool configuredDelay = false)
        {
            var simulator = new Simulator(new SimulatorOptions(Seed: (ulong)seed));
            IPAddress broadcastAddress = SimulatedNetwork.BroadcastAddress;
            var broadcast = new RemoteAssociationSettings(new IPEndPoint(broadcastAddress, SimContext.NtpPort), AssociationMode.Broadcast,
                false, false, false, false, false, 4, 10, 4, broadcastAddress.ToString())
            {
                KeyId = signed ? KeyId : null,
            };
            var server = new EngineClient([broadcast]) { Keys = Ring(), LocalClocks = [LocalClock()] };
            SimulatedNode serverNode = simulator.AddNode("server", server);
            var clients = new List<(EngineClient, SimulatedNode)>();
            for (int i = 0; i < s_oneWayDelays.Length; i++)
            {
                var client = new EngineClient([])
                {
                    Keys = Ring(),
                    Casting = new CastSettings
                    {
                        BroadcastClient = true,
                        Authenticate = authenticate,
                        BroadcastDelay = configuredDelay ? 2 * s_oneWayDelays[i] : null,
                    },
                };
                SimulatedNode node = simulator.AddNode($"client{i}", client, new NodeOptions(0.05, s_frequencies[i], 1e-9));
                var link = new DelayModel(s_oneWayDelays[i]);
                simulator.Network.SetLink(serverNode.Index, node.Index, link);
                simulator.Network.SetLink(node.Index, serverNode.Index, link);
                clients.Add((client, node));
            }

            return new BroadcastRun(simulator, server, serverNode, clients);
        }

        /// <summary>One line per client: associations, calibrated delay, system peer, last hour's error; returns that error.</summary>
        public ErrorStatistics[] Report(string label, ITestOutputHelper output)
        {
            var statistics = new ErrorStatistics[Clients.Count];
            for (int i = 0; i < Clients.Count; i++)
            {
                (EngineClient client, SimulatedNode node) = Clients[i];
                statistics[i] = node.Errors.TimeErrorStatistics(fromTrueTime: Simulator.Time.Now - 3600);
                RemoteAssociation? association = client.Manager.Sources.Count > 0 ? client.Manager.Sources[0].Association : null;
                output.WriteLine($"{label} {node.Name} ({s_oneWayDelays[i] * 1e3:0.0} ms, {s_frequencies[i] * 1e6:+0;-0} ppm): "
                    + $"{client.Manager.Sources.Count} associations, delay {association?.BroadcastDelay * 1e3:0.000} ms (round trip {2 * s_oneWayDelays[i] * 1e3:0.000} ms), "
                    + $"system peer {client.Manager.SystemPeer?.Id}, last hour RMS {statistics[i].Rms * 1e6:0.0} µs, max {statistics[i].MaxAbsolute * 1e6:0.0} µs, "
                    + $"mean {statistics[i].Mean * 1e6:0.0} µs; |offset| < 1 ms after {node.Errors.ConvergenceTime(1e-3):0} s");
            }

            output.WriteLine($"{label} server: {Server.Manager.Sources[0].Association.PacketsSent} broadcasts");
            return statistics;
        }
    }
}

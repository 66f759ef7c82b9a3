// DaemonHost with --server-threads on loopback: the main loop and two extra loops share one
// SO_REUSEPORT group on an ephemeral port of 127.0.0.1; time requests from 48 source ports are all
// answered, some by the extra loops, with the main loop's system variables; stopping the main loop
// stops the extra loops (bounded waits throughout); stopping the group wakes its loops through
// their eventfds at once instead of after their 1 s poll.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Server;
using Stratum.Platform.Clock;
using Stratum.Platform.Hosting;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Hosting;

public class ServerLoopGroupTests
{
    private const int Clients = 48;

    [Fact]
    public void Run_WithTwoServerThreads_AllClientsAnsweredAndExtraLoopsServeAShare()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], false), -24);
        using var host = new DaemonHost(new ObserveOnlyClockDriver(), engine, NullLogger.Instance) { ServerThreads = 2 };
        Assert.True(host.Bind([new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), "lo", false)]));
        IPEndPoint server = host.Sockets[0].LocalEndPoint;
        using var signals = new ShutdownSignals();
        int stopSignal = -1;
        var runner = new Thread(() => stopSignal = host.Run(signals)) { IsBackground = true };
        runner.Start();
        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < 2000 && host.ServerLoops is null; i++)
            {
                Thread.Sleep(5);
            }

            Assert.NotNull(host.ServerLoops);
            var request = new byte[48];
            request[0] = 0x23;
            for (int i = 0; i < Clients; i++)
            {
                Socket client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
                client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                clients.Add(client);
                NtpTimestamp.FromParts(0xeeadf1fb, (uint)i).Write(request.AsSpan(40));
                client.SendTo(request, server);
            }

            var reply = new byte[64];
            for (int i = 0; i < Clients; i++)
            {
                Assert.Equal(48, clients[i].Receive(reply));
                NtpHeader header = NtpHeader.Read(reply);
                Assert.Equal(NtpTimestamp.FromParts(0xeeadf1fb, (uint)i), header.OriginTime);
                Assert.Equal(engine.System.WireStratum, header.Stratum);
                Assert.Equal(engine.System.ReferenceId, header.ReferenceId);
                Assert.False(header.ReceiveTime.IsZero);
                Assert.True(header.TransmitTime >= header.ReceiveTime);
            }
        }
        finally
        {
            signals.RequestStop(15);
            Assert.True(runner.Join(TimeSpan.FromSeconds(10)), "the loops did not stop within 10 s");
            foreach (Socket client in clients)
            {
                client.Dispose();
            }
        }

        Assert.Equal(15, stopSignal);
        long extra = 0;
        foreach (ServerResponder loopServer in host.ServerLoops!.Servers)
        {
            extra += loopServer.Counters.Replied;
        }

        Assert.Equal(Clients, engine.Server.Counters.Replied + extra);
        Assert.True(extra > 0, "no request reached an extra loop");
        Assert.True(engine.Server.Counters.Replied > 0, "no request reached the main loop");
    }

    [Fact]
    public void Dispose_LoopsAsleepInPoll_StopsThemWithinMilliseconds()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], false), -24);
        using var host = new DaemonHost(new ObserveOnlyClockDriver(), engine, NullLogger.Instance) { ServerThreads = 2 }; // SO_REUSEPORT sockets
        Assert.True(host.Bind([new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), "lo", false)]));
        ServerLoopGroup? group = ServerLoopGroup.TryStart(2, host.Sockets, engine, 1, TransmitStamping.PerDatagram, NullLogger.Instance, out string? error);
        Assert.True(group is not null, error);
        Thread.Sleep(100); // both loops are now in a poll() of up to 1 s (no timers, no traffic)
        var watch = System.Diagnostics.Stopwatch.StartNew();
        group.Dispose();
        watch.Stop();
        Assert.True(watch.ElapsedMilliseconds < 250, $"stopping the server loops took {watch.ElapsedMilliseconds} ms");
    }
}

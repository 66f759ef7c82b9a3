// ReusePortSteering on loopback: two members of one SO_REUSEPORT group on an ephemeral port of
// 127.0.0.1; with the steering program, mode 6 and 7 datagrams from 32 source ports all reach the
// first member, while mode 3 requests from the same ports are spread by the kernel's hash.
using System.Net.Sockets;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

public class ReusePortSteeringTests
{
    private const int Clients = 32;

    [Fact]
    public void Attach_ControlModesReachFirstMember_TimeRequestsSpreadOverTheGroup()
    {
        using UdpSocket? first = UdpSocket.TryBind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), reuseAddress: true, reusePort: true, out string? error);
        Assert.True(first is not null, error);
        using UdpSocket? second = UdpSocket.TryBind(first.LocalEndPoint, reuseAddress: true, reusePort: true, out error);
        Assert.True(second is not null, error);
        Assert.Equal(0, ReusePortSteering.AttachControlToFirstMember(first));

        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < Clients; i++)
            {
                Socket client = BatchTestSupport.BindClient();
                clients.Add(client);
                client.SendTo(new byte[] { 0x16, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, first.LocalEndPoint); // mode 6 READSTAT
                client.SendTo(new byte[] { 0x17, 0, 3, 0 }, first.LocalEndPoint);                               // mode 7
                var request = new byte[48];
                request[0] = 0x23;                                                                          // mode 3
                client.SendTo(request, first.LocalEndPoint);
            }

            (int firstControl, int firstTime) = Drain(first);
            (int secondControl, int secondTime) = Drain(second);

            Assert.Equal(2 * Clients, firstControl);
            Assert.Equal(0, secondControl);
            Assert.Equal(Clients, firstTime + secondTime);
            Assert.True(firstTime > 0 && secondTime > 0, $"time requests not spread: {firstTime} / {secondTime}");
        }
        finally
        {
            foreach (Socket client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>Counts (mode 6/7, other) datagrams waiting on <paramref name="socket"/>; bounded: 100 empty reads.</summary>
    private static (int Control, int Time) Drain(UdpSocket socket)
    {
        using var batch = new ReceiveBatch(64, 2048);
        int control = 0;
        int time = 0;
        for (int empty = 0; empty < 100;)
        {
            int count = batch.Receive(socket, out _);
            if (count == 0)
            {
                empty++;
                Thread.Sleep(2);
                continue;
            }

            for (int i = 0; i < count; i++)
            {
                if ((batch.Payload(i)[0] & 7) is 6 or 7)
                {
                    control++;
                }
                else
                {
                    time++;
                }
            }
        }

        return (control, time);
    }
}

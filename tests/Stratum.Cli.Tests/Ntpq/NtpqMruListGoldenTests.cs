// Golden output of `ntpq -n -c mrulist` against our ntpd in a known MRU state: a fresh daemon
// (TestDaemon's local-clock configuration: restrict default kod nomodify notrap nopeer noquery,
// restrict 127.0.0.1) that has heard one NTPv4 client request from 127.0.0.38 and then only this
// ntpq (mode 6, version 2, from 127.0.0.1). Only the source ports are masked. A second daemon
// restricts 127.0.0.1 with `nomrulist` and must refuse the list.
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed partial class NtpqMruListGoldenTests
{
    private const string Started = "Ctrl-C will stop MRU retrieval and display partial results.\n";

    [GeneratedRegex(@"^(.{32})[ \d]{5} (127\.0\.0\.\d+)$", RegexOptions.Multiline)]
    private static partial Regex SourcePort();

    private static (string Stdout, string Stderr) Ntpq(int port, params string[] commands)
    {
        var arguments = new List<string> { "-n" };
        foreach (string command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        arguments.Add("127.0.0.1");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = NtpqCli.Run([.. arguments], stdout, stderr, NtpqEnvironment.Default with { Port = port, Zone = TimeZoneInfo.Utc });
        Assert.Equal(0, exit);
        return (SourcePort().Replace(stdout.ToString(), "$1 PORT $2"), stderr.ToString());
    }

    /// <summary>One NTPv4 client request from 127.0.0.38, answered before returning.</summary>
    private static void ClientRequest(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.38"), 0));
        socket.ReceiveTimeout = 5000;
        var request = new byte[48];
        request[0] = 0x23;
        request[47] = 1;
        socket.SendTo(request, new IPEndPoint(IPAddress.Loopback, port));
        var reply = new byte[64];
        Assert.Equal(48, socket.Receive(reply));
    }

    [Fact]
    public void MruList_ListsTheClientsNewestFirst_SortsAndFilters()
    {
        using var daemon = new TestDaemon(TestDaemon.LocalClockConfig);
        ClientRequest(daemon.Port);

        (string stdout, string stderr) = Ntpq(daemon.Port, "mrulist", "mrulist sort=-lstint", "mrulist kod", "mrulist mincount=5 bogus");

        Assert.Equal(
            MruListTable.Header
            + "     0      0    0 . 6 2      2  PORT 127.0.0.1\n"
            + "     0      0  5d0 K 3 4      1  PORT 127.0.0.38\n"
            + MruListTable.Header
            + "     0      0  5d0 K 3 4      1  PORT 127.0.0.38\n"
            + "     0      0    0 . 6 2      4  PORT 127.0.0.1\n"
            + MruListTable.Header
            + "     0      0  5d0 K 3 4      1  PORT 127.0.0.38\n"
            + MruListTable.Header
            + "     0      0    0 . 6 2      8  PORT 127.0.0.1\n",
            stdout);
        Assert.Equal(
            Started + "\rRetrieved 2 unique MRU entries and 0 updates.\n"
            + Started + "\rRetrieved 2 unique MRU entries and 0 updates.\n"
            + Started + "\rRetrieved 1 unique MRU entries and 0 updates.\n"
            + Started + "ignoring unrecognized mrulist parameter: bogus\n\rRetrieved 1 unique MRU entries and 0 updates.\n",
            stderr);
    }

    [Fact]
    public void MruList_NoMruListRestriction_IsRefused()
    {
        using var daemon = new TestDaemon(TestDaemon.LocalClockConfig + "\nrestrict 127.0.0.1 nomrulist\n");

        (string stdout, string stderr) = Ntpq(daemon.Port, "mrulist");

        Assert.Equal(string.Empty, stdout);
        Assert.Equal(Started + "***Server disallowed request (authentication?)\n", stderr);
    }
}

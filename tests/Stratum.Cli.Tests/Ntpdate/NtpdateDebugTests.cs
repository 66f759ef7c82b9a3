// ntpdate -d: the trace of each request and reply, the selection's drop reasons and the detailed
// per-server block, as a whole-output golden on the fake network (UTC, fixed cookies).
namespace Stratum.Cli.Tests.Ntpdate;

public class NtpdateDebugTests
{
    [Fact]
    public void Debug_TwoSamplesOneSilentServer_WholeOutput()
    {
        var world = new FakeNtpdateWorld(
            new FakeServer("127.0.0.20") { Stratum = 2, ClockOffsetSeconds = 0.0015 },
            new FakeServer("127.0.0.21") { Silent = true });

        var (exit, stdout, stderr) = world.Run("-d", "-p", "2", "127.0.0.20", "127.0.0.21");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(
            "23 Nov 07:40:00 ntpdate[4242]: ntpdate Stratum 0.1.0 (ntpdate 4.2.8 compatible)\n" +
            "transmit(127.0.0.20)\n" +
            "transmit(127.0.0.21)\n" +
            "receive(127.0.0.20)\n" +
            "receive: t1 e9098050.00000000 t2 e9098050.006f6945 t3 e9098050.0070110b t4 e9098050.001adea9\n" +
            "offset: +0.001500, delay 0.00040\n" +
            "transmit(127.0.0.21)\n" +
            "transmit(127.0.0.20)\n" +
            "receive(127.0.0.20)\n" +
            "receive: t1 e9098052.001adea9 t2 e9098052.008a47ed t3 e9098052.008aefb3 t4 e9098052.0035bd52\n" +
            "offset: +0.001500, delay 0.00040\n" +
            "127.0.0.21: Server dropped: no data\n" +
            "\n" +
            "server 127.0.0.20, port 123\n" +
            "stratum 2, precision -20, leap 00, trust 000\n" +
            "refid [10.0.0.1], root delay 0.007813, root dispersion 0.015625\n" +
            "reference time:      e9098012.008a47ed  Thu, Nov 23 2023  7:38:58.002\n" +
            "originate timestamp: e9098052.008aefb3  Thu, Nov 23 2023  7:40:02.002\n" +
            "transmit timestamp:  e9098052.001adea9  Thu, Nov 23 2023  7:40:02.000\n" +
            "filter delay:  0.02602    0.02602    ----       ----      \n" +
            "               ----       ----       ----       ----      \n" +
            "filter offset: +0.001500  +0.001500  ----       ----      \n" +
            "               ----       ----       ----       ----      \n" +
            "delay 0.02602, dispersion 0.00000, offset +0.001500\n" +
            "\n" +
            "23 Nov 07:40:04 ntpdate[4242]: adjust time server 127.0.0.20 offset +0.001500 sec\n",
            stdout);
    }
}

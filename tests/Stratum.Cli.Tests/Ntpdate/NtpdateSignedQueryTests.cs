// ntpdate -a KEY -k FILE against fake servers that check and sign with the key: every request
// carries the MAC, and -e DELAY is added to T1 of those signed requests as ntpdate 4.2.8 does (the
// offset comes out DELAY/2 lower and the delay DELAY lower); without -a, -e changes nothing.
using Stratum.Core.Auth;
using Stratum.Core.Wire;

namespace Stratum.Cli.Tests.Ntpdate;

public sealed class NtpdateSignedQueryTests : IDisposable
{
    private const string KeysText = "1 MD5 fake-secret\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpdate-signed-").FullName;
    private readonly string _keysFile;
    private readonly SymmetricKey _key;

    public NtpdateSignedQueryTests()
    {
        _keysFile = Path.Combine(_directory, "ntp.keys");
        File.WriteAllText(_keysFile, KeysText);
        Assert.True(KeyFileParser.Parse(KeysText, _keysFile).Keys.TryGetKey(1, out SymmetricKey? key));
        _key = key!;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private FakeNtpdateWorld SignedWorld() =>
        new(new FakeServer("127.0.0.20") { Stratum = 3, ClockOffsetSeconds = 0.001, OneWayDelaySeconds = 0.002, Key = _key });

    [Fact]
    public void SignedQuery_EveryRequestCarriesTheMac()
    {
        var world = SignedWorld();

        var (exit, stdout, stderr) = world.Run("-q", "-p", "2", "-a", "1", "-k", _keysFile, "127.0.0.20");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(
            "server 127.0.0.20, stratum 3, offset +0.001000, delay 0.02962\n" +
            "23 Nov 07:40:02 ntpdate[4242]: adjust time server 127.0.0.20 offset +0.001000 sec\n",
            stdout);
        List<byte[]> requests = world.Network!.RequestDatagrams["127.0.0.20"];
        Assert.Equal(2, requests.Count);
        Assert.All(requests, request =>
        {
            Assert.True(NtpPacket.TryRead(request, out NtpPacket packet, out _));
            Assert.True(PacketMac.Verify(_key, packet));
        });
    }

    [Fact]
    public void AuthenticationDelay_IsAddedToT1OfSignedRequests()
    {
        // 0.0001 s is 429497 units of 2^-32 s: T1 moves 100.00006 µs later, so the offset is
        // 50.00003 µs lower and the delay 100.00006 µs lower (ntpdate keeps delays in 16.16, units
        // of 15.3 µs, so the printed delay goes from 0.02962 s to 0.02951 s).
        var world = SignedWorld();

        var (exit, stdout, stderr) = world.Run("-q", "-a", "1", "-k", _keysFile, "-e", "0.0001", "127.0.0.20");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(
            "server 127.0.0.20, stratum 3, offset +0.000950, delay 0.02951\n" +
            "23 Nov 07:40:00 ntpdate[4242]: adjust time server 127.0.0.20 offset +0.000950 sec\n",
            stdout);
    }

    [Fact]
    public void AuthenticationDelay_WithoutKey_ChangesNothing()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { Stratum = 3, ClockOffsetSeconds = 0.001, OneWayDelaySeconds = 0.002 });

        var (exit, stdout, _) = world.Run("-q", "-e", "0.0001", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.StartsWith("server 127.0.0.20, stratum 3, offset +0.001000, delay 0.02962\n", stdout, StringComparison.Ordinal);
        Assert.Equal(NtpHeader.Size, Assert.Single(world.Network!.RequestDatagrams["127.0.0.20"]).Length);
    }

    [Fact]
    public void AuthenticationDelay_SettingTheClock_SlewsByTheCorrectedOffset()
    {
        // Not -q: the fake clock driver records the slew (ntpdate overshoots a slew by half the offset).
        var world = SignedWorld();

        var (exit, stdout, stderr) = world.Run("-u", "-p", "1", "-a", "1", "-k", _keysFile, "-e", "0.0001", "127.0.0.20");

        Assert.True(exit == 0, stdout + stderr);
        double slew = Assert.Single(world.Clock.Slews);
        Assert.Equal(0.00095 * 1.5, slew, 6);
    }
}

// ntpdate's command line: usage errors exit 2 with getopt/ntpdate wording and the 4.2.8 usage
// line; -a is refused for now; -t rounding to 0.2 s ticks with a 1 s floor.
using Stratum.Tools.Ntpdate;

namespace Stratum.Cli.Tests.Ntpdate;

public class NtpdateCommandLineTests
{
    private const string Usage =
        "usage: ntpdate [-46bBdqsuv] [-a key#] [-e delay] [-k file] [-p samples] [-o version#] [-t timeo] server ...\n";

    [Theory]
    [InlineData(new string[0], "ntpdate: no server given\n")]
    [InlineData(new[] { "-q" }, "ntpdate: no server given\n")]
    [InlineData(new[] { "-x", "127.0.0.20" }, "ntpdate: illegal option -- x\n")]
    [InlineData(new[] { "-qx", "127.0.0.20" }, "ntpdate: illegal option -- x\n")]
    [InlineData(new[] { "--help" }, "ntpdate: illegal option -- -\n")]
    [InlineData(new[] { "127.0.0.20", "-p" }, "ntpdate: option requires an argument -- p\n")]
    [InlineData(new[] { "-p", "9", "127.0.0.20" }, "ntpdate: number of samples (9) is invalid\n")]
    [InlineData(new[] { "-p0", "127.0.0.20" }, "ntpdate: number of samples (0) is invalid\n")]
    [InlineData(new[] { "-p", "many", "127.0.0.20" }, "ntpdate: number of samples (0) is invalid\n")]
    [InlineData(new[] { "-t", "soon", "127.0.0.20" }, "ntpdate: timeout soon is undecodeable\n")]
    [InlineData(new[] { "-e", "1.5", "127.0.0.20" }, "ntpdate: encryption delay 1.5 is unlikely\n")]
    [InlineData(new[] { "-o", "7", "127.0.0.20" }, "ntpdate: version 7 is invalid\n")]
    public void BadCommandLine_PrintsErrorAndUsage_Exit2(string[] args, string error)
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        var (exit, stdout, stderr) = world.Run(args);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(error + Usage, stderr);
        Assert.Null(world.Network);
    }

    [Fact]
    public void AuthenticationKey_UnreadableKeysFile_Exit1()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        var (exit, _, stderr) = world.Run("-a", "5", "-k", "/nonexistent/ntp.keys", "127.0.0.20");

        Assert.Equal(1, exit);
        Assert.StartsWith("ntpdate: can't read keys file /nonexistent/ntp.keys: ", stderr, StringComparison.Ordinal);
        Assert.Null(world.Network);
    }

    [Fact]
    public void AuthenticationKey_NotInKeysFile_Exit1()
    {
        string keys = Path.Combine(Directory.CreateTempSubdirectory("stratum-ntpdate-").FullName, "ntp.keys");
        File.WriteAllText(keys, "1 MD5 secret\n");
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        var (exit, _, stderr) = world.Run("-a", "5", "-k", keys, "127.0.0.20");

        Assert.Equal(1, exit);
        Assert.Equal("ntpdate: authentication key 5 unknown\n", stderr);
        Directory.Delete(Path.GetDirectoryName(keys)!, recursive: true);
    }

    [Fact]
    public void KeyFileWithoutKey_IsAccepted()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        var (exit, _, _) = world.Run("-q", "-k", "/etc/ntp.keys", "-e", "0.001", "127.0.0.20");

        Assert.Equal(0, exit);
    }

    [Fact]
    public void Verbose_LogsVersionFirst()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        var (_, stdout, _) = world.Run("-qv", "127.0.0.20");

        Assert.StartsWith("23 Nov 07:40:00 ntpdate[4242]: " + NtpdateCli.VersionText + "\n", stdout);
    }

    [Fact]
    public void OptionsAfterServer_AreStillOptions()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        var (exit, stdout, _) = world.Run("127.0.0.20", "-q");

        Assert.Equal(0, exit);
        Assert.StartsWith("server 127.0.0.20,", stdout);
    }

    [Theory]
    [InlineData(2.0, 2_000_000_000)]
    [InlineData(0.3, 1_000_000_000)]
    [InlineData(1.3, 1_200_000_000)]
    [InlineData(2.49, 2_400_000_000)]
    [InlineData(0, 1_000_000_000)]
    public void TimeoutFromSeconds_RoundsToTicksWithOneSecondFloor(double seconds, long expectedNanoseconds) =>
        Assert.Equal(expectedNanoseconds, NtpdateCommandLine.TimeoutFromSeconds(seconds));

    [Fact]
    public void TryParse_QueryDefaultsToOneSample_SetDefaultsToFour()
    {
        Assert.True(NtpdateCommandLine.TryParse(["-q", "h"], out var query, out _));
        Assert.True(NtpdateCommandLine.TryParse(["h"], out var set, out _));
        Assert.True(NtpdateCommandLine.TryParse(["-qp", "3", "h"], out var explicitSamples, out _));

        Assert.Equal(1, query.Samples);
        Assert.Equal(4, set.Samples);
        Assert.Equal(3, explicitSamples.Samples);
    }

    [Theory]
    [InlineData("0", 0u)]
    [InlineData("0.5", 0x8000_0000u)]
    [InlineData(".25", 0x4000_0000u)]
    // 0.1 * 2^32 = 429496729.6: rounded up.
    [InlineData("0.1", 429_496_730u)]
    // 0.00005 * 2^32 = 214748.3648: rounded down.
    [InlineData("0.000050", 214_748u)]
    // Only nine decimals count.
    [InlineData("0.0000000009", 0u)]
    // 0.999999999 * 2^32 = 4294967291.705: rounded up.
    [InlineData("0.999999999", 4_294_967_292u)]
    public void FractionOfSecond_IsAtolfpsFraction(string text, uint expected) =>
        Assert.Equal(expected, NtpdateCommandLine.FractionOfSecond(text));

    [Fact]
    public void TryParse_AuthenticationDelay_IsKeptAsAFractionOfASecond()
    {
        Assert.True(NtpdateCommandLine.TryParse(["-e", "0.5", "h"], out var delayed, out _));
        Assert.True(NtpdateCommandLine.TryParse(["h"], out var plain, out _));

        Assert.Equal(0x8000_0000u, delayed.AuthenticationDelayFraction);
        Assert.Equal(0u, plain.AuthenticationDelayFraction);
    }

    [Theory]
    [InlineData("-o1", 1)]
    [InlineData("-o2", 2)]
    [InlineData("-o3", 3)]
    [InlineData("-o4", 4)]
    public void TryParse_Version_IsKept(string option, byte version)
    {
        Assert.True(NtpdateCommandLine.TryParse([option, "h"], out var options, out _));

        Assert.Equal(version, options.Version);
    }

    [Fact]
    public void TryParse_RepeatedDebug_CountsLevels()
    {
        Assert.True(NtpdateCommandLine.TryParse(["-dd", "-d", "h"], out var options, out _));

        Assert.Equal(3, options.DebugLevel);
    }
}

// ntpd --io-batch, the hidden --tx-stamp and --server-threads: values outside 1–256 (0–64), an
// unknown stamping mode, or extra server loops with --virtual-clock are command-line errors (exit 2
// with the usage line); both options are in the usage line.
using Stratum.Platform.Loop;
using Stratum.Tools.Ntpd;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdFastPathOptionTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new NtpdEnvironment("/nonexistent/ntp.conf", 4242, () => new ShutdownSignals(), AllowDaemonize: false);
        int exit = NtpdCli.Run(args, stdout, stderr, environment);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    [InlineData("-3")]
    public void Run_IoBatchOutOfRange_NamesTheRangeAndExits2(string value)
    {
        (int exit, _, string stderr) = Run("--io-batch", value, "--check");
        Assert.Equal(2, exit);
        Assert.Contains($"ntpd: --io-batch must be 1 to 256, not {value}", stderr);
        Assert.Contains("usage: ntpd [-46gnqx]", stderr);
    }

    [Theory]
    [InlineData("--io-batch", "many")]
    [InlineData("--tx-stamp", "never")]
    public void Run_BadFastPathValue_PrintsUsageAndExits2(string option, string value)
    {
        (int exit, string stdout, string stderr) = Run(option, value);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("usage: ntpd [-46gnqx]", stderr);
    }

    [Theory]
    [InlineData("65")]
    [InlineData("-1")]
    public void Run_ServerThreadsOutOfRange_Exits2(string value)
    {
        (int exit, _, string stderr) = Run("--server-threads", value, "--check");
        Assert.Equal(2, exit);
        Assert.Contains("usage: ntpd [-46gnqx]", stderr);
    }

    [Fact]
    public void Run_ServerThreadsWithVirtualClock_Refused()
    {
        (int exit, _, string stderr) = Run("--server-threads", "2", "--virtual-clock", "0.1", "--check");
        Assert.Equal(2, exit);
        Assert.Contains("ntpd: --server-threads cannot be combined with --virtual-clock", stderr);
    }

    [Fact]
    public void Run_Help_ShowsFastPathOptions()
    {
        (int exit, string stdout, _) = Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("[--io-batch N] [--server-threads N]", stdout);
    }
}

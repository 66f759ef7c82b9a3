// ntpdc -d and the `debug` command: ntpdc 4.2.8 prints nothing for a clean mode 7 exchange, so
// stderr stays empty over mode 7; over the mode 6 fallback the switch is announced and the mode 6
// exchanges are traced as ntpq traces them; -ddd names the host opened. Interactive mode with a
// terminal's keys recalls a command with the up arrow.
using Stratum.Cli.Tests.Ntpq;
using Stratum.Tools.Ntpdc;

namespace Stratum.Cli.Tests.Ntpdc;

public sealed class NtpdcDebugAndEditingTests(GoldenDaemons daemons) : IClassFixture<GoldenDaemons>
{
    private NtpdcEnvironment Environment(bool mode7) => NtpdcEnvironment.Default with
    {
        Port = mode7 ? daemons.Mode7Port : daemons.Mode6OnlyPort,
        Zone = TimeZoneInfo.Utc,
        Mode7ProbeTimeoutNanoseconds = 300_000_000,
    };

    private (string Stdout, string Stderr) Ntpdc(bool mode7, params string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = NtpdcCli.Run([.. arguments, "127.0.0.1"], stdout, stderr, Environment(mode7));
        Assert.Equal(0, exit);
        return (GoldenMask.Apply(stdout.ToString()), stderr.ToString());
    }

    [Fact]
    public void Debug_OverMode7_StderrStaysEmptyAndStdoutUnchanged()
    {
        (string plain, _) = Ntpdc(true, "-c", "sysstats");
        (string stdout, string stderr) = Ntpdc(true, "-d", "-c", "sysstats");
        Assert.Equal(plain, stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void Debug_OverTheMode6Fallback_AnnouncesTheSwitchAndTracesMode6()
    {
        (string plain, string quiet) = Ntpdc(false, "-c", "loopinfo");
        (string stdout, string stderr) = Ntpdc(false, "-d", "-c", "loopinfo");
        Assert.Equal(string.Empty, quiet);
        Assert.Equal(plain, stdout);
        Assert.Equal("No mode 7 answer to LoopInfo; using mode 6 from now on\n1 packets reassembled into response\n", stderr);
    }

    [Fact]
    public void DebugLevel3_NamesTheHostOpened()
    {
        (_, string stderr) = Ntpdc(true, "-ddd", "-c", "version");
        Assert.Equal("Opening host 127.0.0.1\n", stderr);
    }

    [Fact]
    public void DebugCommand_ShowsAndChangesTheLevel()
    {
        (string stdout, string stderr) = Ntpdc(true, "-c", "debug", "-c", "debug more", "-c", "debug", "-c", "debug bogus");
        Assert.Equal("debug level is 0\ndebug level set to 1\ndebug level is 1\nWhat?\n", stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void Interactive_OnATerminal_RecallsTheLastCommand()
    {
        var stdout = new StringWriter();
        ScriptedConsoleKeys keys = ScriptedConsoleKeys.Of("listpeers", ScriptedConsoleKeys.Enter, ScriptedConsoleKeys.Up, ScriptedConsoleKeys.Enter, ScriptedConsoleKeys.Ctrl('d'));
        int exit = NtpdcCli.Run(["127.0.0.1"], stdout, new StringWriter(), Environment(true) with { Keys = keys });
        Assert.Equal(0, exit);
        Assert.Equal("ntpdc> listpeers\nclient    LOCAL(0)\nntpdc> listpeers\nclient    LOCAL(0)\nntpdc> \n", stdout.ToString());
    }
}

// ntpq -d/-D and the `debug` command against the golden daemon: the debug lines of ntpq 4.2.8 at
// each level go to stderr and stdout stays as without -d; and interactive mode with a terminal's
// keys: a command recalled with the up arrow and edited before it runs, Ctrl-D to leave.
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class NtpqDebugAndEditingTests(GoldenDaemons daemons) : IClassFixture<GoldenDaemons>
{
    private NtpqEnvironment Environment => NtpqEnvironment.Default with { Port = daemons.Mode7Port, Zone = TimeZoneInfo.Utc };

    private (string Stdout, string Stderr) Ntpq(params string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = NtpqCli.Run([.. arguments, "127.0.0.1"], stdout, stderr, Environment);
        Assert.Equal(0, exit);
        return (stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void DebugOnce_PrintsTheReassemblyLineOnStderrOnly()
    {
        (string plain, string quiet) = Ntpq("-c", "rv 0 stratum,leap");
        (string stdout, string stderr) = Ntpq("-d", "-c", "rv 0 stratum,leap");
        Assert.Equal(string.Empty, quiet);
        Assert.Equal(plain, stdout);
        Assert.Equal("1 packets reassembled into response\n", stderr);
    }

    [Fact]
    public void DebugTwice_AddsGotPacketAndPacketOkay()
    {
        (string stdout, string stderr) = Ntpq("-dd", "-c", "rv 0 stratum");
        Assert.Equal("stratum=11\n", stdout);
        string[] lines = stderr.Split('\n');
        Assert.Matches("^Got packet, size = [0-9]+$", lines[0]);
        Assert.Equal(["Packet okay", "1 packets reassembled into response", ""], lines[1..]);
    }

    [Fact]
    public void DebugLevelFour_OpensHostSendsAndDumpsBothPackets()
    {
        (string stdout, string stderr) = Ntpq("-D", "4", "-c", "rv 0 stratum");
        Assert.Equal("stratum=11\n", stdout);
        string[] lines = stderr.Split('\n');
        Assert.Equal("Opening host 127.0.0.1 (AF_INET)", lines[0]);
        Assert.Equal("Sending 20 octets", lines[1]);
        Assert.Equal("Request packet:", lines[2]);
        Assert.Equal("16 02 00 ", lines[3][..9]);
        Assert.EndsWith("stra", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("tum.", lines[4], StringComparison.Ordinal);
        Assert.Equal("Response packet:", lines[5]);
        Assert.StartsWith("16 82 00 ", lines[6], StringComparison.Ordinal);
        Assert.Contains("Packet okay", lines);
        Assert.Equal(["1 packets reassembled into response", ""], lines[^2..]);
    }

    [Fact]
    public void DebugCommand_ShowsAndChangesTheLevel()
    {
        (string stdout, string stderr) = Ntpq("-c", "debug", "-c", "debug more", "-c", "rv 0 stratum", "-c", "debug less", "-c", "rv 0 stratum",
            "-c", "debug no", "-c", "debug maybe", "-c", "help debug");
        Assert.Equal(
            "debug level is 0\n"
            + "debug level set to 1\n"
            + "stratum=11\n"
            + "debug level set to 0\n"
            + "stratum=11\n"
            + "debug level set to 0\n"
            + "What?\n"
            + "function: set/change debugging level\n"
            + "usage: debug [ no|more|less ]\n", stdout);
        Assert.Equal("1 packets reassembled into response\n", stderr);
    }

    [Fact]
    public void Interactive_OnATerminal_RecallsAndEditsTheLastCommand()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        ScriptedConsoleKeys keys = ScriptedConsoleKeys.Of(
            "rv 0 stratum", ScriptedConsoleKeys.Enter,
            ScriptedConsoleKeys.Up, ScriptedConsoleKeys.Ctrl('w'), "leap", ScriptedConsoleKeys.Enter,
            ScriptedConsoleKeys.Ctrl('d'));
        int exit = NtpqCli.Run(["127.0.0.1"], stdout, stderr, Environment with { Keys = keys, Input = new StringReader("quit\n") });
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr.ToString());
        string output = stdout.ToString();
        Assert.StartsWith("ntpq> rv 0 stratum\nstratum=11\nntpq> rv 0 stratum", output, StringComparison.Ordinal);
        Assert.EndsWith("leap\nleap=00\nntpq> \n", output, StringComparison.Ordinal);
    }
}

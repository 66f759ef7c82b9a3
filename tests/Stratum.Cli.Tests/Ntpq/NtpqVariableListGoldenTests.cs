// Golden outputs of ntpq 4.2.8's variable-list and range commands against our ntpd: addvars,
// rmvars, clearvars, showvars, readlist/rl, clocklist/cl, writelist, mreadvar/mrv, mreadlist/mrl and
// saveconfig. The daemon has the golden tests' local clock (association 1) and one server on a
// loopback address that never answers (association 2), and key 1 as its controlkey, so writelist
// and saveconfig can be signed. Error cases use ntpq's words: usage lines for missing arguments,
// "***Illegal unsigned value", "***Invalid association ID", "***Association ID … not found in list".
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class NtpqVariableListGoldenTests : IDisposable
{
    private const string Permission = "***Server disallowed request (authentication?)\n";

    private readonly TestDaemon _daemon = new(TestDaemon.WithControlKey(TestDaemon.LocalClockConfig + "\nserver 127.0.0.36\n"));

    public void Dispose() => _daemon.Dispose();

    private (string Stdout, string Stderr) Ntpq(params string[] commands) => NtpqWithInput(string.Empty, null, commands);

    private (string Stdout, string Stderr) NtpqWithInput(string input, string? secret, params string[] commands)
    {
        var arguments = new List<string>();
        foreach (string command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        arguments.Add("127.0.0.1");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        NtpqEnvironment environment = NtpqEnvironment.Default with
        {
            Port = _daemon.Port,
            Zone = TimeZoneInfo.Utc,
            Input = new StringReader(input),
            ReadSecret = _ => secret,
        };
        Assert.Equal(0, NtpqCli.Run([.. arguments], stdout, stderr, environment));
        return (GoldenMask.Apply(stdout.ToString()), stderr.ToString());
    }

    private void AssertOutput(string expected, params string[] commands)
    {
        (string stdout, string stderr) = Ntpq(commands);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(expected, stdout);
    }

    [Fact]
    public void ShowVars_ListsWhatAddVarsAddedAndRmVarsLeft() => AssertOutput(
        "No variables on list\n"
        + "stratum=\n"
        + "refid=\n"
        + "precision=5\n"
        + "sysflags=\"a,b\"\n"
        + "stratum=\n"
        + "sysflags=\"a,b\"\n"
        + "No variables on list\n",
        "showvars", "addvars stratum,refid,precision=3", "addvars precision=5,sysflags=\"a,b\"", "showvars",
        "rmvars refid,precision", "showvars", "clearvars", "showvars");

    [Fact]
    public void ReadList_EmptyList_ReadsEveryVariableWithTheStatusLine()
    {
        (string stdout, string stderr) = Ntpq("readlist");
        Assert.Equal(string.Empty, stderr);
        Assert.StartsWith("associd=0 status=0515 leap_none, sync_local, 1 event, clock_sync,\nversion=", stdout, StringComparison.Ordinal);
        Assert.Equal(Ntpq("rv").Stdout.Split('\n')[0], stdout.Split('\n')[0]);
    }

    [Fact]
    public void ReadList_ReadsTheListedVariables_OfTheSystemAndAPeer() => AssertOutput(
        "stratum=11, refid=LOCAL(0)\n"
        + "stratum=11, refid=LOCAL(0)\n"
        + "stratum=10, refid=LOCL\n"
        + "stratum=10, refid=LOCL\n",
        "addvars stratum,refid", "readlist", "rl 0", "readlist 1", "rl 1");

    [Fact]
    public void ClockList_ReadsTheListedClockVariables() => AssertOutput(
        "device=\"Undisciplined local clock\", stratum=10\n"
        + "associd=1 status=0000 clk_unspec, last_clk_unspec,\n"
        + "device=\"Undisciplined local clock\", timecode=\"\", poll=1, noreply=0,\n"
        + "badformat=0, baddata=0, fudgetime1=0.000, fudgetime2=0.000, stratum=10,\n"
        + "refid=LOCL, flags=0\n",
        "addvars device,stratum", "clocklist 1", "clearvars", "cl 1");

    [Fact]
    public void MReadVar_ReadsEachAssociationInTheRange() => AssertOutput(
        "srcadr=127.127.1.0, stratum=10\n"
        + "srcadr=127.0.0.36, stratum=16\n"
        + "srcadr=127.127.1.0, stratum=10\n"
        + "srcadr=127.0.0.36, stratum=16\n"
        + "hpoll=6\n"
        + "hpoll=6\n",
        "hostnames no", "mreadvar 1 2 srcadr,stratum", "mrv 2 1 srcadr,stratum", "addvars hpoll", "mrv 1 2");

    [Fact]
    public void MReadVar_WithoutNames_PrintsEachAssociationsBlock()
    {
        (string stdout, string stderr) = Ntpq("mrv 1 2");
        Assert.Equal(string.Empty, stderr);
        string[] blocks = stdout.Split("associd=", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, blocks.Length);
        Assert.StartsWith("1 status=961a conf, reach, sel_sys.peer, 1 event, sys_peer,\nsrcadr=LOCAL(0),", blocks[0], StringComparison.Ordinal);
        Assert.StartsWith("2 status=", blocks[1], StringComparison.Ordinal);
        Assert.Contains("srcadr=127.0.0.36,", blocks[1], StringComparison.Ordinal);
    }

    [Fact]
    public void MReadList_ReadsTheListForEachAssociation_BlankLineBetween() => AssertOutput(
        "stratum=10\n"
        + "\n"
        + "stratum=16\n",
        "addvars stratum", "mreadlist 1 2");

    [Fact]
    public void WriteList_IsRefusedByTheDaemon_AnUnknownNameToo()
    {
        (string stdout, string stderr) = Ntpq([.. TestDaemon.ControlKeyCommands, "addvars stratum=3", "writelist", "clearvars", "addvars nosuchvar=1", "writelist 0"]);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(Permission + "***A request variable unknown to the server\n", stderr);
    }

    [Fact]
    public void WriteList_EmptyList_IsDone() =>
        AssertOutput("done! (no data returned)\n", [.. TestDaemon.ControlKeyCommands, "writelist"]);

    [Fact]
    public void SaveConfig_PrintsTheDaemonsAnswer() => AssertOutput(
        "saveconfig prohibited, no saveconfigdir configured\n", [.. TestDaemon.ControlKeyCommands, "saveconfig ntp.conf.saved"]);

    [Fact]
    public void SaveConfig_AsksForKeyIdAndPassword_WhenNotGiven()
    {
        (string stdout, string stderr) = NtpqWithInput("1\n", "secretpw", "saveconfig .");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal("Keyid: saveconfig prohibited, no saveconfigdir configured\n", stdout);
    }

    [Fact]
    public void SaveConfig_WithAnotherPassword_IsRefused()
    {
        (string stdout, string stderr) = Ntpq("keyid 1", "passwd wrongpw", "saveconfig .");
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(Permission, stderr);
    }

    [Fact]
    public void Errors_MissingArgumentsBadNumbersAndUnknownAssociations()
    {
        (string stdout, string stderr) = Ntpq("addvars", "rmvars", "rmvars nosuch", "saveconfig", "mreadvar 1", "mrl",
            "readlist abc", "rl 70000", "readlist 9", "cl 9", "writelist x", "mrv 0 1", "mrv 1 9", "mrv 1 -2");
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            "usage: addvars name[=value][,...]\n"
            + "usage: rmvars name[,...]\n"
            + "Variable `nosuch' not found\n"
            + "usage: saveconfig filename\n"
            + "usage: mreadvar assocIDlow assocIDhigh [ name=value[,...] ]\n"
            + "usage: mrl assocIDlow assocIDhigh\n"
            + "***Illegal unsigned value abc\n"
            + "***Invalid association ID 70000 specified\n"
            + "***Association ID 9 unknown to server\n"
            + "***Association ID 9 unknown to server\n"
            + "***Illegal unsigned value x\n"
            + "***Invalid association ID 0 specified\n"
            + "***Association ID 9 not found in list\n"
            + "***Illegal unsigned value -2\n",
            stderr);
    }

    [Fact]
    public void AddVars_UnclosedQuote_StopsWithNtpqsMessage()
    {
        (string stdout, string stderr) = Ntpq("addvars a=1,b=\"x,c", "showvars");
        Assert.Equal("a=1\n", stdout);
        Assert.Equal("nextvar: no closing quote, stop: 'b=\"x,c'\n", stderr);
    }

    [Fact]
    public void AddVars_FullList_IsReported()
    {
        string names = string.Join(',', Enumerable.Range(0, SessionVariableList.Capacity + 1).Select(i => $"v{i}"));
        (string stdout, string stderr) = Ntpq("addvars " + names, "showvars");
        Assert.Equal("Variable list full\n", stderr);
        Assert.Equal(SessionVariableList.Capacity, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}

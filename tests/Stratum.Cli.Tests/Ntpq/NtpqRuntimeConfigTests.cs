// Golden outputs of ntpq's authenticated commands against our ntpd with `keys`, `trustedkey 1 2`
// and `controlkey 1` (ntpq 4.2.8 keyid, keytype, passwd, :config, config-from-file, writevar):
// a :config signed with the controlkey adds a server that `peers` then lists and `unpeer` removes,
// adds a restrict line that `reslist` lists (before the interface entries; the 127.0.0.1 entry has
// counted the nonce request, the :config and reslist: a recompile keeps the hits), and reports each bad line
// by column; a wrong password, another trusted key or no key at all gets "Server disallowed
// request"; a daemon whose restrict line for us says nomodify answers with ntpd's refusal text. A
// :config server with a host name is resolved at once (not at the next poll) and the association polls.
using System.Net;
using System.Net.Sockets;
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class NtpqRuntimeConfigTests : IDisposable
{
    private const string Keys = "1 MD5 secretpw\n2 SHA1 0123456789abcdef0123456789abcdef01234567\n";
    private const string Permission = "***Server disallowed request (authentication?)\n";
    private const string LocalPeerLine = "*LOCAL(0)        .LOCL.          10 l WHEN   64    1    0.000    0.000   0.000\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-config-").FullName;
    private readonly TestDaemon _daemon;

    public NtpqRuntimeConfigTests()
    {
        string keys = Path.Combine(_directory, "ntp.keys");
        File.WriteAllText(keys, Keys);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _daemon = new TestDaemon(Config(keys, "restrict 127.0.0.1"));
    }

    private static string Config(string keys, string restrict) => $"""
        server 127.127.1.0
        fudge 127.127.1.0 stratum 10
        disable ntp
        interface ignore wildcard
        interface listen 127.0.0.1
        keys {keys}
        trustedkey 1 2
        controlkey 1
        restrict default kod nomodify notrap nopeer noquery
        {restrict}
        """;

    public void Dispose()
    {
        _daemon.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static (string Stdout, string Stderr) Ntpq(int port, string input, string? secret, params string[] commands)
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
            Port = port,
            Zone = TimeZoneInfo.Utc,
            Input = new StringReader(input),
            ReadSecret = _ => secret,
        };
        Assert.Equal(0, NtpqCli.Run([.. arguments], stdout, stderr, environment));
        return (GoldenMask.Apply(stdout.ToString()), stderr.ToString());
    }

    private (string Stdout, string Stderr) Ntpq(params string[] commands) => Ntpq(_daemon.Port, string.Empty, null, commands);

    [Fact]
    public void Config_WithControlKey_AddsAServerThatPeersListsAndUnpeerRemoves()
    {
        (string stdout, string stderr) = Ntpq("keyid 1", "passwd secretpw", ":config server 127.0.0.36 iburst", "peers",
            ":config unpeer 127.0.0.36", "peers");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(
            "Config Succeeded\n"
            + PeersTable.Header + LocalPeerLine
            + " 127.0.0.36      .INIT.          16 u WHEN   64    0    0.000    0.000   0.000\n"
            + "Config Succeeded\n"
            + PeersTable.Header + LocalPeerLine, stdout);
    }

    [Fact]
    public void Config_ServerName_ResolvedAtOnce_MobilizedAndListed()
    {
        string keys = Path.Combine(_directory, "ntp.keys");
        using var daemon = new TestDaemon(Config(keys, "restrict 127.0.0.1"),
            resolve: name => name == "time.example" ? [IPAddress.Parse("127.0.0.38")] : throw new SocketException((int)SocketError.HostNotFound));
        (string stdout, string stderr) = Ntpq(daemon.Port, string.Empty, null, "keyid 1", "passwd secretpw", ":config server time.example iburst");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal("Config Succeeded\n", stdout);

        // The local clock polls every 64 s: the association must not wait for that timer.
        string peers = string.Empty;
        for (int i = 0; i < 40 && !peers.Contains("127.0.0.38", StringComparison.Ordinal); i++)
        {
            Thread.Sleep(100);
            peers = Ntpq(daemon.Port, string.Empty, null, "peers").Stdout;
        }

        Assert.Contains(" 127.0.0.38 ", peers, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_AsksForKeyIdAndPassword_WhenNotGiven()
    {
        (string stdout, string stderr) = Ntpq(_daemon.Port, "1\n", "secretpw", ":config restrict 192.0.2.0 mask 255.255.255.0 nomodify notrap", "reslist");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(
            "Keyid: Config Succeeded\n"
            + "   hits    addr/prefix or addr mask\n"
            + "           restrictions\n"
            + "==============================================================================\n"
            + "         0 0.0.0.0/0\n"
            + "           noquery nomodify nopeer notrap kod\n"
            + "         0 ::/0\n"
            + "           noquery nomodify nopeer notrap kod\n"
            + "         3 127.0.0.1/32\n"
            + "           \n"
            + "         0 192.0.2.0/24\n"
            + "           nomodify notrap\n"
            + "         0 127.0.0.1/32\n"
            + "           ntpport interface ignore\n"
            + "         0 ::1/128\n"
            + "           ntpport interface ignore\n", stdout);
    }

    [Fact]
    public void Config_BadLines_AreReportedByColumn()
    {
        (string stdout, string stderr) = Ntpq("keyid 1", "passwd secretpw", ":config sever 127.0.0.36", ":config driftfile /tmp/stratum.drift",
            ":config server 127.0.0.36 minpoll x", ":config unpeer 127.0.0.37", ":config server 127.127.1.1", ":config server 127.0.0.1", ":config server 127.0.0.1");
        Assert.Equal(string.Empty, stderr);
        string[] lines = stdout.Split('\n');
        Assert.Equal("column 1 unknown directive 'sever'", lines[0]);
        Assert.Equal("column 1 'driftfile' cannot be changed at run time", lines[1]);
        Assert.StartsWith("column 27 'minpoll' needs an integer", lines[2], StringComparison.Ordinal);
        Assert.Equal("column 8 no association for '127.0.0.37'", lines[3]);
        Assert.Equal("column 1 reference clocks cannot be added at run time", lines[4]);
        Assert.Equal("Config Succeeded", lines[5]);
        Assert.Equal("column 1 '127.0.0.1' is already an association", lines[6]);
        Assert.False(File.Exists("/tmp/stratum.drift"));
    }

    [Theory]
    [InlineData("wrongpw", "1")]
    [InlineData("0123456789abcdef0123456789abcdef01234567", "2")]
    public void Config_WithoutTheControlKey_IsRefused(string password, string keyId)
    {
        (string stdout, string stderr) = Ntpq("keyid " + keyId, keyId == "2" ? "keytype sha1" : "keytype md5", "passwd " + password,
            ":config server 127.0.0.36", "peers");
        Assert.Equal(Permission, stderr);
        Assert.Equal(PeersTable.Header + LocalPeerLine, stdout);
    }

    [Fact]
    public void Config_NoKeyIdOrPasswordGiven_IsNotSent()
    {
        (string stdout, string stderr) = Ntpq(":config server 127.0.0.36", "keyid 1", ":config server 127.0.0.36", "passwd", "peers");
        Assert.Equal("Keyid: " + PeersTable.Header + LocalPeerLine, stdout);
        Assert.Equal("Invalid key identifier\nInvalid password\nInvalid password\n", stderr);
    }

    [Fact]
    public void KeyCommands_ReportTheirState()
    {
        (string stdout, string stderr) = Ntpq("keyid", "keyid 7", "keyid", "keytype", "keytype sha1", "keytype", "keytype nosuch", "authenticate", "authenticate yes", "authenticate");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(
            "no keyid defined\n"
            + "keyid is 7\n"
            + "keytype is MD5 with 16 octet digests\n"
            + "keytype is SHA1 with 20 octet digests\n"
            + "keytype is not valid. Type \"help keytype\" for the available digest types.\n"
            + "unauthenticated requests being sent\n"
            + "authenticated requests being sent\n", stdout);
    }

    [Fact]
    public void AuthenticateYes_SignsReads_WhichTheDaemonAnswers()
    {
        (string stdout, string stderr) = Ntpq("keyid 2", "keytype sha1", "passwd 0123456789abcdef0123456789abcdef01234567", "authenticate yes", "rv 0 stratum,refid");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal("stratum=11, refid=LOCAL(0)\n", stdout);
    }

    [Fact]
    public void WriteVar_BuiltInVariable_IsRefused_EmptyWriteIsDone()
    {
        (string stdout, string stderr) = Ntpq("keyid 1", "passwd secretpw", "writevar 0 stratum=3", "writevar 0 nosuchvar=1", "writevar 0", "rv 0 stratum");
        Assert.Equal(Permission + "***A request variable unknown to the server\n", stderr);
        Assert.Equal("done! (no data returned)\nstratum=11\n", stdout);
    }

    [Fact]
    public void ConfigFromFile_SendsEachLine()
    {
        string file = Path.Combine(_directory, "extra.conf");
        File.WriteAllText(file, "server 127.0.0.37\n\nsever 127.0.0.38\n");
        (string stdout, string stderr) = Ntpq("keyid 1", "passwd secretpw", "config-from-file " + file);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(
            "Line No: 1 Config Succeeded: server 127.0.0.37\n"
            + "Line No: 3 column 1 unknown directive 'sever': sever 127.0.0.38\n", stdout);
    }

    [Fact]
    public void Config_FromANoModifySource_GetsTheRefusalText()
    {
        string keys = Path.Combine(_directory, "ntp.keys");
        using var daemon = new TestDaemon(Config(keys, "restrict 127.0.0.1 nomodify"));
        (string stdout, string stderr) = Ntpq(daemon.Port, string.Empty, null, "keyid 1", "passwd secretpw", ":config server 127.0.0.36");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal("runtime configuration prohibited by restrict ... nomodify\n", stdout);
    }
}

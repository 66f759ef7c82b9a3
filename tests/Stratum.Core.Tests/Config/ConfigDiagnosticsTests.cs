// Every diagnostic the parser emits, with its exact text (file:line:column: severity: message),
// since admins and scripts read them. Each input line produces exactly one diagnostic.
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

public class ConfigDiagnosticsTests
{
    [Theory]
    // Directives.
    [InlineData("sever 192.0.2.1", "ntp.conf:1:1: error: unknown directive 'sever'")]
    [InlineData("Server 192.0.2.1", "ntp.conf:1:1: error: unknown directive 'Server'")]
    [InlineData("  driftfile", "ntp.conf:1:3: error: directive 'driftfile' needs a file name")]
    [InlineData("statsdir", "ntp.conf:1:1: error: directive 'statsdir' needs a directory name")]
    [InlineData("driftfile /a /b", "ntp.conf:1:14: error: unexpected '/b' at the end of the driftfile line")]
    [InlineData("driftfile \"/var/lib/ntp drift", "ntp.conf:1:11: error: missing closing quote")]
    [InlineData("trap 192.0.2.1", "ntp.conf:1:1: warning: directive 'trap' is not implemented yet and is ignored")]
    [InlineData("unpeer 192.0.2.1", "ntp.conf:1:1: warning: directive 'unpeer' is not implemented yet and is ignored")]
    [InlineData("crypto pw secret", "ntp.conf:1:1: warning: Autokey is not supported; directive 'crypto' is ignored")]
    [InlineData("driftfile \"\"", "ntp.conf:1:1: error: directive 'driftfile' needs a file name")]
    [InlineData("end extra", "ntp.conf:1:5: error: unexpected 'extra' at the end of the end line")]
    [InlineData("sever\u001b[2J", "ntp.conf:1:1: error: unknown directive 'sever\\x1b[2J'")]
    // Associations.
    [InlineData("server", "ntp.conf:1:1: error: directive 'server' needs an address")]
    [InlineData("server 192.0.2.1 ibrust", "ntp.conf:1:18: error: unknown option 'ibrust' for server")]
    [InlineData("pool pool.ntp.org iburts", "ntp.conf:1:19: error: unknown option 'iburts' for pool")]
    [InlineData("server 192.168.1.300 iburst", "ntp.conf:1:8: error: bad address '192.168.1.300'")]
    [InlineData("server ntp_1.example.com", "ntp.conf:1:8: error: bad address 'ntp_1.example.com'")]
    [InlineData("server 2001:db8::g", "ntp.conf:1:8: error: bad address '2001:db8::g'")]
    [InlineData("server -6 192.0.2.1", "ntp.conf:1:8: error: '-6' does not match IPv4 address '192.0.2.1'")]
    [InlineData("server 192.0.2.1 minpoll x", "ntp.conf:1:26: error: 'minpoll' needs an integer from 3 to 17, not 'x'")]
    [InlineData("server 192.0.2.1 maxpoll 18", "ntp.conf:1:26: error: 'maxpoll' needs an integer from 3 to 17, not '18'")]
    [InlineData("server 192.0.2.1 minpoll", "ntp.conf:1:18: error: 'minpoll' needs an integer from 3 to 17")]
    [InlineData("server 192.0.2.1 version 5", "ntp.conf:1:26: error: 'version' needs an integer from 1 to 4, not '5'")]
    [InlineData("server 192.0.2.1 key 0", "ntp.conf:1:22: error: 'key' needs an integer from 1 to 65535, not '0'")]
    [InlineData("server 192.0.2.1 minpoll 12", "ntp.conf:1:18: warning: minpoll 12 is above maxpoll 10; minpoll becomes 10")]
    [InlineData("server 192.0.2.1 preempt", "ntp.conf:1:18: warning: option 'preempt' is not implemented yet and is ignored")]
    [InlineData("server 192.0.2.1 autokey", "ntp.conf:1:18: warning: Autokey is not supported; option 'autokey' is ignored")]
    [InlineData("server 192.0.2.1 ident", "ntp.conf:1:18: error: 'ident' needs a group name")]
    [InlineData("server 192.0.2.1 ident group1", "ntp.conf:1:18: warning: Autokey is not supported; option 'ident' is ignored")]
    [InlineData("server 192.0.2.1 mode 3", "ntp.conf:1:18: warning: option 'mode' only applies to reference clocks and is ignored")]
    [InlineData("server 192.0.2.1 ttl 5", "ntp.conf:1:18: warning: option 'ttl' only applies to 'broadcast' and 'manycastclient' lines and is ignored on 'server'")]
    [InlineData("server -6 127.127.1.0", "ntp.conf:1:8: error: '-6' does not match IPv4 address '127.127.1.0'")]
    [InlineData("pool 127.127.1.0", "ntp.conf:1:6: error: reference clock address '127.127.1.0' needs 'server', not 'pool'")]
    [InlineData("peer 127.127.1.0", "ntp.conf:1:6: error: reference clock address '127.127.1.0' needs 'server', not 'peer'")]
    // Reference clocks.
    [InlineData("server 127.127.8.0", "ntp.conf:1:8: warning: refclock type 8 is not implemented yet")]
    [InlineData("server 127.127.1.0 iburst", "ntp.conf:1:20: warning: option 'iburst' has no effect on a reference clock")]
    [InlineData("fudge 127.127.8.0 stratum 1", "ntp.conf:1:7: warning: fudge for 127.127.8.0 has no 'server 127.127.8.0' line and is ignored")]
    [InlineData("fudge 10.0.0.1 stratum 1", "ntp.conf:1:7: error: fudge needs a reference clock address 127.127.T.U, not '10.0.0.1'")]
    [InlineData("fudge", "ntp.conf:1:1: error: directive 'fudge' needs a reference clock address 127.127.T.U")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 refid", "ntp.conf:2:19: error: 'refid' needs 1 to 4 ASCII characters")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 flag2", "ntp.conf:2:19: error: 'flag2' needs 0 or 1")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 time2", "ntp.conf:2:19: error: 'time2' needs a number from -86400 to 86400")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 minjitter 0.1", "ntp.conf:2:19: warning: option 'minjitter' is not implemented yet and is ignored")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 stratum 16", "ntp.conf:2:27: error: 'stratum' needs an integer from 0 to 15, not '16'")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 refid TOOLONG", "ntp.conf:2:25: error: 'refid' needs 1 to 4 ASCII characters, not 'TOOLONG'")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 flag1 2", "ntp.conf:2:25: error: 'flag1' needs 0 or 1, not '2'")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 time1 abc", "ntp.conf:2:25: error: 'time1' needs a number from -86400 to 86400, not 'abc'")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0 stratum 3 precision 2", "ntp.conf:2:29: error: unknown option 'precision' for fudge")]
    [InlineData("server 127.127.1.0\nfudge 127.127.1.0", "ntp.conf:2:1: error: directive 'fudge' needs at least one option")]
    [InlineData("server 127.127.1.0\nserver 127.127.1.0", "ntp.conf:2:8: warning: reference clock 127.127.1.0 is already configured at ntp.conf:1; this line is ignored")]
    // Access control.
    [InlineData("restrict", "ntp.conf:1:1: error: directive 'restrict' needs an address, 'default' or 'source'")]
    [InlineData("restrict default nomodfy", "ntp.conf:1:18: error: unknown flag 'nomodfy' for restrict")]
    [InlineData("restrict 192.168.1.0 mask 255.255.255.300", "ntp.conf:1:27: error: bad mask '255.255.255.300'")]
    [InlineData("restrict 2001:db8:: mask 255.255.0.0", "ntp.conf:1:26: error: bad mask '255.255.0.0' for IPv6 address '2001:db8::'")]
    [InlineData("restrict 192.168.1.0 mask", "ntp.conf:1:22: error: 'mask' needs an address mask")]
    [InlineData("restrict default mask 255.0.0.0", "ntp.conf:1:18: error: 'mask' cannot be used with restrict default")]
    [InlineData("restrict source mask 255.0.0.0", "ntp.conf:1:17: error: 'mask' cannot be used with restrict source")]
    [InlineData("restrict 10.0.0.0 mask ffff::", "ntp.conf:1:24: error: bad mask 'ffff::' for IPv4 address '10.0.0.0'")]
    [InlineData("restrict 10.0.0.256", "ntp.conf:1:10: error: bad address '10.0.0.256'")]
    [InlineData("restrict -4 ::1", "ntp.conf:1:10: error: '-4' does not match IPv6 address '::1'")]
    [InlineData("restrict -6 source", "ntp.conf:1:10: error: '-6' cannot be used with 'restrict source'")]
    [InlineData("restrict time.nist.gov", "ntp.conf:1:10: error: restrict needs a numeric address; host name 'time.nist.gov' is not supported yet")]
    [InlineData("restrict default noepeer", "ntp.conf:1:18: warning: restrict flag 'noepeer' is not implemented yet and is ignored")]
    [InlineData("restrict default ippeerlimit 2", "ntp.conf:1:18: warning: restrict option 'ippeerlimit' is not implemented yet and is ignored")]
    [InlineData("restrict default serverresponse fuzz", "ntp.conf:1:18: warning: restrict option 'serverresponse fuzz' is not implemented yet and is ignored")]
    [InlineData("restrict default serverresponse", "ntp.conf:1:18: error: 'serverresponse' needs 'fuzz'")]
    [InlineData("restrict default serverresponse drop", "ntp.conf:1:18: error: 'serverresponse' needs 'fuzz'")]
    [InlineData("interface", "ntp.conf:1:1: error: directive 'interface' needs listen, ignore or drop")]
    [InlineData("interface ignore 2001:db8::/129", "ntp.conf:1:18: error: bad prefix length in '2001:db8::/129' (0 to 128)")]
    [InlineData("interface listen eth0/24", "ntp.conf:1:18: error: bad address 'eth0/24'")]
    [InlineData("interface listen eth0 eth1", "ntp.conf:1:23: error: unexpected 'eth1' at the end of the interface line")]
    [InlineData("interface listen 10.0.0.0/33", "ntp.conf:1:18: error: bad prefix length in '10.0.0.0/33' (0 to 32)")]
    [InlineData("interface listen 10.0.0.300", "ntp.conf:1:18: error: bad address '10.0.0.300'")]
    [InlineData("interface allow eth0", "ntp.conf:1:11: error: 'interface' needs listen, ignore or drop, not 'allow'")]
    [InlineData("nic listen", "ntp.conf:1:1: error: directive 'nic' needs all, ipv4, ipv6, wildcard, an address or an interface name")]
    [InlineData("discard average 3 minimum x", "ntp.conf:1:27: error: 'minimum' needs an integer from 0 to 3600, not 'x'")]
    [InlineData("mru maxdepth -1", "ntp.conf:1:14: error: 'maxdepth' needs an integer from 0 to 2147483647, not '-1'")]
    [InlineData("mru maxlength 5", "ntp.conf:1:5: error: unknown option 'maxlength' for mru")]
    [InlineData("discard", "ntp.conf:1:1: error: directive 'discard' needs at least one option")]
    [InlineData("mru", "ntp.conf:1:1: error: directive 'mru' needs at least one option")]
    // System options.
    [InlineData("enable", "ntp.conf:1:1: error: directive 'enable' needs at least one flag")]
    [InlineData("disable ntp kernal", "ntp.conf:1:13: error: unknown flag 'kernal' for disable")]
    [InlineData("tos ceiling 17", "ntp.conf:1:13: error: 'ceiling' needs an integer from 1 to 16, not '17'")]
    [InlineData("tos orphan 0", "ntp.conf:1:12: error: 'orphan' needs an integer from 1 to 16, not '0'")]
    [InlineData("tos minsane 4", "ntp.conf:1:5: error: tos needs minsane (4) < minclock (3) <= maxclock (10)")]
    [InlineData("tos floor 10 ceiling 5", "ntp.conf:1:14: error: tos needs floor (10) <= ceiling (5)")]
    [InlineData("tos mindist NaN", "ntp.conf:1:13: error: 'mindist' needs a number from 0 to 16, not 'NaN'")]
    [InlineData("tos maxclok 10", "ntp.conf:1:5: error: unknown option 'maxclok' for tos")]
    [InlineData("tos", "ntp.conf:1:1: error: directive 'tos' needs at least one option")]
    [InlineData("tos cohort 2", "ntp.conf:1:12: error: 'cohort' needs 0 or 1, not '2'")]
    [InlineData("tos basedate 2020-01-01", "ntp.conf:1:5: warning: option 'basedate' is not implemented yet and is ignored")]
    [InlineData("tinker", "ntp.conf:1:1: error: directive 'tinker' needs at least one option")]
    [InlineData("tinker freq 600", "ntp.conf:1:13: error: 'freq' needs a number from -500 to 500, not '600'")]
    [InlineData("tinker step -1", "ntp.conf:1:13: error: 'step' needs a number from 0 to 1000000000, not '-1'")]
    [InlineData("tinker stepsize 1", "ntp.conf:1:8: error: unknown option 'stepsize' for tinker")]
    // Files, statistics and keys.
    [InlineData("driftfile /a\ndriftfile /b", "ntp.conf:2:1: warning: duplicate 'driftfile' (previous at ntp.conf:1); the last one wins")]
    [InlineData("driftfile /var/lib/ntp/drift 1e-7", "ntp.conf:1:30: warning: the wander threshold '1e-7' of driftfile is deprecated and ignored")]
    [InlineData("leapfile /etc/leap-seconds.list verify", "ntp.conf:1:33: error: unexpected 'verify' at the end of the leapfile line")]
    [InlineData("logconfig", "ntp.conf:1:1: error: directive 'logconfig' needs at least one log class")]
    [InlineData("statistics", "ntp.conf:1:1: error: directive 'statistics' needs at least one statistics name")]
    [InlineData("filegen", "ntp.conf:1:1: error: directive 'filegen' needs a statistics name")]
    [InlineData("filegen timingstats file timing", "ntp.conf:1:9: warning: statistics 'timingstats' is not implemented yet and is ignored")]
    [InlineData("filegen peerstats file", "ntp.conf:1:19: error: 'file' needs a file name")]
    [InlineData("filegen loopstats type", "ntp.conf:1:19: error: 'type' needs none, pid, day, week, month, year or age")]
    [InlineData("statistics loopstats peerstat", "ntp.conf:1:22: error: unknown statistics name 'peerstat'")]
    [InlineData("statistics cryptostats", "ntp.conf:1:12: warning: statistics 'cryptostats' is not implemented yet and is ignored")]
    [InlineData("filegen loopstats type hourly", "ntp.conf:1:24: error: 'type' needs none, pid, day, week, month, year or age, not 'hourly'")]
    [InlineData("filegen loopstats rotate", "ntp.conf:1:19: error: unknown option 'rotate' for filegen")]
    [InlineData("trustedkey 1 70000", "ntp.conf:1:14: error: 'trustedkey' needs key numbers from 1 to 65535, not '70000'")]
    [InlineData("trustedkey (5 ... 1)", "ntp.conf:1:13: error: bad key range in trustedkey: 5 is above 1")]
    [InlineData("trustedkey (1 .. 5)", "ntp.conf:1:12: error: bad key range in trustedkey: write (first ... last)")]
    [InlineData("trustedkey (1 ... x)", "ntp.conf:1:19: error: 'trustedkey' needs key numbers from 1 to 65535, not 'x'")]
    [InlineData("trustedkey", "ntp.conf:1:1: error: directive 'trustedkey' needs at least one key number")]
    [InlineData("keys", "ntp.conf:1:1: error: directive 'keys' needs a file name")]
    [InlineData("controlkey 1 2", "ntp.conf:1:14: error: unexpected '2' at the end of the controlkey line")]
    [InlineData("controlkey", "ntp.conf:1:1: error: 'controlkey' needs an integer from 1 to 65535")]
    [InlineData("requestkey 65536", "ntp.conf:1:12: error: 'requestkey' needs an integer from 1 to 65535, not '65536'")]
    [InlineData("includefile /etc/ntp/extra.conf", "ntp.conf:1:1: error: includefile not available")]
    [InlineData("includefile", "ntp.conf:1:1: error: directive 'includefile' needs a file name")]
    public void Parse_ProblemLine_ReportsExactlyThisDiagnostic(string text, string expected)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");

        Assert.Equal([expected], result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(expected.Contains(": error: ", StringComparison.Ordinal), result.HasErrors);
    }

    [Fact]
    public void Parse_SeveralBadLines_ReportsAllAndKeepsGoodLines()
    {
        const string Text = """
            sever 192.0.2.1
            server 192.0.2.2 ibrust
            server 192.0.2.3 iburst
            driftfile
            """;

        ConfigParseResult result = ConfigParser.Parse(Text, "/etc/ntp.conf");

        Assert.Equal(
            [
                "/etc/ntp.conf:1:1: error: unknown directive 'sever'",
                "/etc/ntp.conf:2:18: error: unknown option 'ibrust' for server",
                "/etc/ntp.conf:4:1: error: directive 'driftfile' needs a file name",
            ],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(["192.0.2.2", "192.0.2.3"], result.Config.Associations.Select(a => a.Address));
    }

    [Fact]
    public void Parse_IncludeCycle_ReportsTheChain()
    {
        var files = new InMemoryIncludeSource(new()
        {
            ["/etc/ntp/a.conf"] = "includefile b.conf",
            ["/etc/ntp/b.conf"] = "includefile /etc/ntp/a.conf",
        });

        ConfigParseResult result = ConfigParser.Parse("includefile ntp/a.conf", "/etc/ntp.conf", files);

        Assert.Equal(
            ["/etc/ntp/b.conf:1:13: error: includefile cycle: /etc/ntp/a.conf -> /etc/ntp/b.conf -> /etc/ntp/a.conf"],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Parse_FileIncludingItself_ReportsCycle()
    {
        var files = new InMemoryIncludeSource([]);

        ConfigParseResult result = ConfigParser.Parse("includefile ntp.conf", "/etc/ntp.conf", files);

        Assert.Equal(
            ["/etc/ntp.conf:1:13: error: includefile cycle: /etc/ntp.conf -> /etc/ntp.conf"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Empty(files.Reads);
    }

    [Fact]
    public void Parse_IncludesNestedSixDeep_ReportsDepthLimit()
    {
        var files = new Dictionary<string, string>();
        for (int level = 1; level <= 6; level++)
        {
            files[$"/etc/ntp/level{level}.conf"] = $"includefile level{level + 1}.conf\nserver 192.0.2.{level}";
        }

        ConfigParseResult result = ConfigParser.Parse("includefile ntp/level1.conf", "/etc/ntp.conf", new InMemoryIncludeSource(files));

        Assert.Equal(
            ["/etc/ntp/level5.conf:1:13: error: includefile '/etc/ntp/level6.conf' is nested more than 5 levels deep"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(
            ["192.0.2.5", "192.0.2.4", "192.0.2.3", "192.0.2.2", "192.0.2.1"],
            result.Config.Associations.Select(a => a.Address));
    }

    [Fact]
    public void Parse_MissingInclude_ReportsReadError()
    {
        ConfigParseResult result = ConfigParser.Parse(
            "includefile /etc/ntp/missing.conf",
            "/etc/ntp.conf",
            new InMemoryIncludeSource([]));

        Assert.Equal(
            ["/etc/ntp.conf:1:13: error: cannot read /etc/ntp/missing.conf: No such file or directory"],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Parse_ErrorInIncludedFile_NamesThatFile()
    {
        var files = new InMemoryIncludeSource(new() { ["/etc/ntp/servers.conf"] = "\nsever 192.0.2.1" });

        ConfigParseResult result = ConfigParser.Parse("includefile ntp/servers.conf", "/etc/ntp.conf", files);

        Assert.Equal(
            ["/etc/ntp/servers.conf:2:1: error: unknown directive 'sever'"],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Parse_HugeGarbageFile_StopsAfterDiagnosticLimit()
    {
        string text = string.Concat(Enumerable.Repeat("garbage\n", 5000));

        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");

        Assert.Equal(1001, result.Diagnostics.Count);
        Assert.Equal("ntp.conf:1001:1: error: too many problems; stopped after 1000", result.Diagnostics[^1].ToString());
    }

    [Fact]
    public void ConfigDiagnostic_WholeFile_PrintsWithoutPosition()
    {
        var diagnostic = new ConfigDiagnostic(DiagnosticSeverity.Error, "/x/ntp.conf", 0, 0, "cannot read /x/ntp.conf: No such file or directory");

        Assert.Equal("/x/ntp.conf: error: cannot read /x/ntp.conf: No such file or directory", diagnostic.ToString());
    }
}

// Hostile input never makes the parser throw (ARCHITECTURE.md §7): random lines built from
// ntp.conf keywords, numbers, addresses, quotes, comments, control characters and random
// strings, with an include source that always includes more (cycles and depth).
using CsCheck;
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

public class ConfigParserPropertyTests
{
    private static readonly string[] s_interestingWords =
    [
        "server", "pool", "peer", "fudge", "restrict", "interface", "nic", "enable", "disable", "tos", "tinker",
        "discard", "mru", "driftfile", "logfile", "logconfig", "pidfile", "statsdir", "leapfile", "statistics",
        "filegen", "keys", "trustedkey", "controlkey", "requestkey", "includefile", "end", "broadcast", "crypto",
        "127.127.1.0", "127.127.255.255", "-4", "-6", "default", "source", "mask", "255.255.255.0", "ffff::",
        "::1", "fe80::1%eth0", "192.168.1.300", "0.europe.pool.ntp.org", "iburst", "burst", "prefer", "minpoll",
        "maxpoll", "version", "key", "mode", "ttl", "ident", "autokey", "stratum", "refid", "time1", "flag1",
        "file", "type", "link", "nolink", "all", "wildcard", "ipv4", "ipv6", "listen", "ignore", "drop",
        "10.0.0.0/8", "10.0.0.0/", "/", "eth*", "[!a-", "\\", "(", ")", "(1", "...", "5)", "0", "1", "-1", "17",
        "65535", "65536", "2147483648", "1e308", "1e999", "NaN", "-Infinity", "0x10", "\"", "\"a b\"", "#", "\r",
        "\t", "\0", "\u2212" + "4", "\uFEFF", "\uD800", "ntp.conf", "loop.conf",
    ];

    [Fact]
    public void Parse_RandomText_NeverThrows()
    {
        Gen<string> word = Gen.Frequency(
            (4, Gen.OneOf(s_interestingWords)),
            (1, Gen.String[0, 12]),
            (1, Gen.Char.Array[0, 6].Select(chars => new string(chars))));
        Gen<string> separator = Gen.OneOf(" ", "\t", "  ", "", "#", "\"");
        Gen<string> line = Gen.Select(word.Array[0, 10], separator, (words, glue) => string.Join(glue, words));
        Gen<string> text = Gen.Select(line.Array[0, 25], Gen.OneOf("\n", "\r\n", "\r"), (lines, end) => string.Join(end, lines));
        var includes = new AlwaysIncludingSource();

        text.Sample(
            sample =>
            {
                ConfigParseResult result = ConfigParser.Parse(sample, "fuzz/ntp.conf", includes);
                foreach (ConfigDiagnostic diagnostic in result.Diagnostics)
                {
                    Assert.True(diagnostic.Line >= 1 && diagnostic.Column >= 1, diagnostic.ToString());
                    Assert.False(string.IsNullOrEmpty(diagnostic.Message));
                }
            },
            iter: 3000);
    }

    [Fact]
    public void Parse_RandomText_WithoutIncludeSource_NeverThrows()
    {
        Gen.String[0, 400].Sample(sample => ConfigParser.Parse(sample, "ntp.conf"), iter: 3000);
    }

    /// <summary>Every path exists and includes another file, some of them already open.</summary>
    private sealed class AlwaysIncludingSource : IConfigIncludeSource
    {
        public bool TryRead(string path, out string text, out string? error)
        {
            text = path.Length % 3 == 0
                ? "includefile loop.conf\nserver 192.0.2.1"
                : $"includefile {path.Length % 7}.conf\nfudge 127.127.1.0 stratum 3";
            error = null;
            return path.Length % 11 != 0;
        }
    }
}

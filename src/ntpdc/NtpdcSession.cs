// NtpdcSession: runs ntpdc commands against one server (ntpdc.c docmd and ntpdc_ops.c): sysinfo,
// peers, dmpeers, listpeers, showpeer, loopinfo, sysstats, iostats, kerninfo, plus the builtins
// timeout, debug, host, version, help and quit. Keywords may be abbreviated to a unique prefix. Data
// comes from NtpdcQueries (mode 7, else mode 6) and is printed by NtpdcPrinter.
// Not implemented: the configuration commands (addpeer, restrict, fudge, ...: the daemon refuses
// mode 7 writes), monlist (never served), memstats, timerstats, reslist, ifstats, authinfo.
using System.Globalization;
using System.Net;
using System.Text;

namespace Stratum.Tools.Ntpdc;

/// <summary>One ntpdc command interpreter; <see cref="Execute"/> returns false on quit.</summary>
internal sealed class NtpdcSession(Func<string, NtpdcQueries?> connect, NtpdcQueries initial, string initialHost, NtpdcEnvironment environment,
    bool numericHosts, TextWriter stdout, TextWriter stderr)
{
    private static readonly (string Keyword, string Usage, string Description)[] s_commands =
    [
        ("?", "[ command_name ]", "tell the use and syntax of commands"),
        ("debug", "[ no|more|less ]", "set/change debugging level"),
        ("dmpeers", "[ -4|-6 ]", "display peer summary info the way Dave Mills likes it (IP Version)"),
        ("exit", "", "exit ntpdc"),
        ("help", "[ command_name ]", "tell the use and syntax of commands"),
        ("host", "[ hostname ]", "specify the host whose NTP server we talk to"),
        ("iostats", "", "display I/O subsystem statistics"),
        ("kerninfo", "", "display the kernel pll/pps variables"),
        ("listpeers", "[ -4|-6 ]", "display list of peers the server knows about [IP Version]"),
        ("loopinfo", "[ oneline|multiline ]", "display loop filter information"),
        ("peers", "[ -4|-6 ]", "display peer summary information [IP Version]"),
        ("quit", "", "exit ntpdc"),
        ("showpeer", "peer_address [ peer2_addr ] [ peer3_addr ] [ peer4_addr ]", "display detailed information for one or more peers"),
        ("sysinfo", "", "display local server information"),
        ("sysstats", "", "display local server statistics"),
        ("timeout", "[ msec ]", "set the primary receive time out"),
        ("version", "", "print version number"),
    ];

    private NtpdcQueries _queries = initial;
    private string _host = initialHost;

    public bool Execute(string commandLine)
    {
        string[] words = commandLine.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return true;
        }

        string? keyword = Resolve(words[0]);
        if (keyword is null)
        {
            return true;
        }

        string[] arguments = words[1..];
        var printer = new NtpdcPrinter(numericHosts, environment.Clock.ReadRealtimeNanoseconds(), environment.Zone, numericHosts ? null : Stratum.Client.Transport.QueryHost.ReverseLookup);
        switch (keyword)
        {
            case "sysinfo": Print(_queries.SystemInfo(), printer.SystemInfo); break;
            case "peers": Print(_queries.PeerSummaries(), items => printer.Peers(items!, millsStyle: false, Family(arguments))); break;
            case "dmpeers": Print(_queries.PeerSummaries(), items => printer.Peers(items!, millsStyle: true, Family(arguments))); break;
            case "listpeers": Print(_queries.PeerList(), items => printer.ListPeers(items!, Family(arguments))); break;
            case "showpeer": ShowPeer(arguments, printer); break;
            case "loopinfo": LoopInfo(arguments); break;
            case "sysstats": Print(_queries.SystemStats(), NtpdcPrinter.SystemStats); break;
            case "iostats": Print(_queries.IoStats(), NtpdcPrinter.IoStats); break;
            case "kerninfo": Print(_queries.KernelInfo(), NtpdcPrinter.KernelInfo); break;
            case "timeout": Timeout(arguments); break;
            case "debug": Debug(arguments); break;
            case "host": Host(arguments); break;
            case "version": stdout.Write(NtpdcCli.VersionText + "\n"); break;
            case "help" or "?": stdout.Write(arguments.Length == 0 ? Listing() : Describe(arguments[0])); break;
            case "quit" or "exit": return false;
            default: break;
        }

        return true;
    }

    private void Print<T>((T? Item, string? Error) result, Func<T, string> format)
        where T : class
    {
        if (result.Item is null)
        {
            // ntpdc 4.2.8 names the host before a timeout ("localhost: timed out, nothing received").
            stderr.Write(result.Error switch
            {
                "***Request timed out" => $"{_host}: timed out, nothing received\n",
                "***Response from server was incomplete" => $"{_host}: timed out with incomplete data\n",
                _ => string.Empty,
            });
            (result.Error?.StartsWith("***", StringComparison.Ordinal) == true ? stderr : stdout).Write((result.Error ?? "No data returned in response to query") + "\n");
            return;
        }

        stdout.Write(format(result.Item));
    }

    private void ShowPeer(string[] arguments, NtpdcPrinter printer)
    {
        if (arguments.Length == 0)
        {
            stderr.Write("***Command `showpeer' requires at least 1 argument\n");
            return;
        }

        var addresses = new List<IPAddress>();
        foreach (string argument in arguments.Take(4))
        {
            if (!IPAddress.TryParse(argument, out IPAddress? address))
            {
                stderr.Write($"***Can't find host {argument}\n");
                return;
            }

            addresses.Add(address);
        }

        Print(_queries.PeerInfo(addresses), items =>
        {
            if (items.Count == 0)
            {
                return "No data returned in response to query\n";
            }

            var text = new StringBuilder();
            for (int i = 0; i < items.Count; i++)
            {
                text.Append(printer.ShowPeer(items[i]));
                if (i + 1 < items.Count)
                {
                    text.Append('\n');
                }
            }

            return text.ToString();
        });
    }

    private void LoopInfo(string[] arguments)
    {
        bool oneLine = false;
        if (arguments.Length > 0)
        {
            if (arguments[0] == "oneline")
            {
                oneLine = true;
            }
            else if (arguments[0] != "multiline")
            {
                stderr.Write("How many lines?\n");
                return;
            }
        }

        Print(_queries.LoopInfo(), item => NtpdcPrinter.LoopInfo(item, oneLine));
    }

    private void Timeout(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"primary timeout {_queries.Mode7.TimeoutNanoseconds / 1_000_000} ms\n"));
            return;
        }

        if (!long.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds))
        {
            stderr.Write($"***Illegal integer value {arguments[0]}\n");
            return;
        }

        _queries.Mode7.TimeoutNanoseconds = milliseconds * 1_000_000;
        _queries.Mode6.TimeoutNanoseconds = milliseconds * 1_000_000;
    }

    /// <summary>ntpdc's setdebug: `debug` shows the level, `no`/`more`/`less` change it.</summary>
    private void Debug(string[] arguments)
    {
        if (Stratum.Client.Diagnostics.DebugTrace.Command(arguments, _queries.Mode7.Trace?.Level ?? 0, stdout) is int level)
        {
            _queries.Mode7.Trace ??= new Stratum.Client.Diagnostics.DebugTrace(line => stderr.Write(line + "\n"));
            _queries.Mode6.Trace ??= _queries.Mode7.Trace;
            _queries.Mode7.Trace.Level = level;
        }
    }

    private void Host(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write($"current host is {_host}\n");
            return;
        }

        NtpdcQueries? next = connect(arguments[0]);
        if (next is null)
        {
            stderr.Write($"***Can't find host {arguments[0]}\n");
            return;
        }

        _queries = next;
        _host = arguments[0];
        stdout.Write($"current host set to {_host}\n");
    }

    private static System.Net.Sockets.AddressFamily? Family(string[] arguments) => arguments switch
    {
        ["-4", ..] => System.Net.Sockets.AddressFamily.InterNetwork,
        ["-6", ..] => System.Net.Sockets.AddressFamily.InterNetworkV6,
        _ => null,
    };

    private string? Resolve(string word)
    {
        string? match = null;
        foreach ((string keyword, _, _) in s_commands)
        {
            if (keyword == word)
            {
                return keyword;
            }

            if (keyword.StartsWith(word, StringComparison.Ordinal))
            {
                if (match is not null)
                {
                    stderr.Write($"***Command `{word}' ambiguous\n");
                    return null;
                }

                match = keyword;
            }
        }

        if (match is null)
        {
            stderr.Write($"***Command `{word}' unknown\n");
        }

        return match;
    }

    /// <summary>help: keywords sorted in columns of a 76-character screen, as ntpdc prints them.</summary>
    private static string Listing()
    {
        var words = s_commands.Select(c => c.Keyword).Where(k => k != "?").Order(StringComparer.Ordinal).ToList();
        int column = words.Max(w => w.Length) + 1;
        int columns = 76 / column;
        int rows = (words.Count + columns - 1) / columns;
        var text = new StringBuilder("ntpdc commands:\n");
        for (int row = 0; row < rows; row++)
        {
            for (int index = row; index < words.Count; index += rows)
            {
                text.Append(words[index].PadRight(column));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Describe(string word)
    {
        foreach ((string keyword, string usage, string description) in s_commands)
        {
            if (keyword.StartsWith(word, StringComparison.Ordinal))
            {
                return $"function: {description}\nusage: {keyword} {usage}".TrimEnd() + "\n";
            }
        }

        return $"***Command `{word}' unknown\n";
    }
}

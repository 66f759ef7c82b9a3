// NtpqCommands: ntpq 4.2.8's command table (ntpq.c builtins and ntpq-subs.c opcmds): keyword,
// argument synopsis and one-line description, used to resolve abbreviations and to print `help`
// (commands sorted, in columns of a 76-character screen, as ntpq's help does).
using System.Text;

namespace Stratum.Tools.Ntpq;

/// <summary>The commands this ntpq understands.</summary>
internal static class NtpqCommands
{
    private const int ScreenWidth = 76;

    public static readonly (string Keyword, string Usage, string Description)[] All =
    [
        ("?", "[ command_name ]", "tell the use and syntax of commands"),
        (":config", "<configuration command line>", "send a remote configuration command to ntpd"),
        ("addvars", "name[=value][,...]", "add variables to the variable list or change their values"),
        ("apeers", "[ -4|-6 ]", "obtain and print a list of the server's peers and their assocIDs [IP version]"),
        ("associations", "", "print list of association ID's and statuses for the server's peers"),
        ("authinfo", "", "display symmetric authentication counters"),
        ("authenticate", "[ yes|no ]", "always authenticate requests to this server"),
        ("cl", "[ assocID ]", "read the clock variables included in the variable list"),
        ("clearvars", "", "remove all variables from the variable list"),
        ("clocklist", "[ assocID ]", "read the clock variables included in the variable list"),
        ("clockvar", "[ assocID ] [ name=value[,...] ]", "read clock variables"),
        ("config-from-file", "<configuration filename>", "configure ntpd using the configuration filename"),
        ("cooked", "", "print output in cooked form"),
        ("cv", "[ assocID ] [ name=value[,...] ]", "read clock variables"),
        ("debug", "[ no|more|less ]", "set/change debugging level"),
        ("delay", "[ msec ]", "set the delay added to encryption time stamps"),
        ("drefid", "[ hash|ipv4 ]", "display address refids as IPv4 or hash"),
        ("exit", "", "exit ntpq"),
        ("help", "[ command_name ]", "tell the use and syntax of commands"),
        ("host", "[ hostname ]", "specify the host whose NTP server we talk to"),
        ("hostnames", "[ yes|no ]", "specify whether hostnames or net numbers are printed"),
        ("ifstats", "", "show statistics for each local address ntpd is using"),
        ("iostats", "", "display network input and output counters"),
        ("kerninfo", "", "display kernel loop and PPS statistics"),
        ("keyid", "[ keyid ]", "set keyid to use for authenticated requests"),
        ("keytype", "[ digest-name ]", "set key type to use for authenticated requests"),
        ("lassociations", "", "print list of associations including all client information"),
        ("lopeers", "[ -4|-6 ]", "obtain and print a list of all peers and clients showing dstadr [IP version]"),
        ("lpassociations", "", "print last obtained list of associations, including client information"),
        ("lpeers", "[ -4|-6 ]", "obtain and print a list of all peers and clients [IP version]"),
        ("monstats", "", "display monitor (mrulist) counters and limits"),
        ("mreadlist", "assocIDlow assocIDhigh", "read the peer variables in the variable list for multiple peers"),
        ("mreadvar", "assocIDlow assocIDhigh [ name=value[,...] ]", "read peer variables from multiple peers"),
        ("mrl", "assocIDlow assocIDhigh", "read the peer variables in the variable list for multiple peers"),
        ("mrv", "assocIDlow assocIDhigh [ name=value[,...] ]", "read peer variables from multiple peers"),
        ("mrulist", "[ tag=value ] [ tag=value ] [ tag=value ] [ tag=value ]", "display the list of most recently seen source addresses, tags mincount=... resall=0x... resany=0x..."),
        ("ntpversion", "[ version number ]", "set the NTP version number to use for requests"),
        ("opeers", "[ -4|-6 ]", "print peer list the old way, with dstadr shown rather than refid [IP version]"),
        ("passociations", "", "print list of associations returned by last associations command"),
        ("passwd", "[ password ]", "set password for authenticated requests"),
        ("peers", "[ -4|-6 ]", "obtain and print a list of the server's peers [IP version]"),
        ("poll", "[ n ] [ verbose ]", "poll an NTP server in client mode `n' times"),
        ("pstats", "assocID", "show statistics for a peer"),
        ("pstatus", "assocID", "print status information returned for a peer"),
        ("quit", "", "exit ntpq"),
        ("raw", "", "do raw mode variable output"),
        ("readlist", "[ assocID ]", "read the system or peer variables included in the variable list"),
        ("readvar", "[ assocID ] [ varname1 ] [ varname2 ] [ varname3 ]", "read system or peer variables"),
        ("reslist", "", "show ntpd access control list"),
        ("rl", "[ assocID ]", "read the system or peer variables included in the variable list"),
        ("rmvars", "name[,...]", "remove variables from the variable list"),
        ("rv", "[ assocID ] [ varname1 ] [ varname2 ] [ varname3 ]", "read system or peer variables"),
        ("saveconfig", "filename", "save ntpd configuration to file, . for current config file"),
        ("showvars", "", "print variables on the variable list"),
        ("sysinfo", "", "display system summary"),
        ("sysstats", "", "display system uptime and packet counts"),
        ("timeout", "[ msec ]", "set the primary receive time out"),
        ("timerstats", "", "display interval timer counters"),
        ("version", "", "print version number"),
        ("writelist", "[ assocID ]", "write the system or peer variables included in the variable list"),
        ("writevar", "assocID name=value,[...]", "write system or peer variables"),
    ];

    /// <summary>Exact keyword, else the unique keyword it abbreviates; null with an error text otherwise.</summary>
    public static string? Resolve(string word, out string? error)
    {
        error = null;
        string? match = null;
        foreach ((string keyword, _, _) in All)
        {
            if (keyword == word)
            {
                return keyword;
            }

            if (keyword.StartsWith(word, StringComparison.Ordinal))
            {
                if (match is not null)
                {
                    error = $"***Command `{word}' ambiguous";
                    return null;
                }

                match = keyword;
            }
        }

        if (match is null)
        {
            error = $"***Command `{word}' unknown";
        }

        return match;
    }

    /// <summary>`help` without arguments: every keyword except "?" in sorted columns.</summary>
    public static string Listing()
    {
        var words = new List<string>();
        foreach ((string keyword, _, _) in All)
        {
            if (keyword != "?")
            {
                words.Add(keyword);
            }
        }

        words.Sort(StringComparer.Ordinal);
        int column = 0;
        foreach (string word in words)
        {
            column = Math.Max(column, word.Length);
        }

        column++;
        int columns = ScreenWidth / column;
        int rows = (words.Count + columns - 1) / columns;
        var text = new StringBuilder("ntpq commands:\n");
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

    /// <summary>ntpq's printusage: "usage: KEYWORD ARGUMENTS", also printed on stderr when a required argument is missing.</summary>
    public static string Usage(string keyword)
    {
        foreach ((string name, string usage, _) in All)
        {
            if (name == keyword)
            {
                return $"usage: {name} {usage}".TrimEnd() + "\n";
            }
        }

        return string.Empty;
    }

    /// <summary>`help COMMAND`: ntpq's "function:" and "usage:" lines.</summary>
    public static string Describe(string keyword)
    {
        foreach ((string name, string usage, string description) in All)
        {
            if (name == keyword)
            {
                return $"function: {description}\n" + Usage(name);
            }
        }

        return string.Empty;
    }
}

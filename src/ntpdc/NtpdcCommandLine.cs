// NtpdcCommandLine: ntpdc 4.2.8's command line, `ntpdc [-46dilnps] [-D level] [-c cmd]... [host...]`,
// parsed getopt-style (bundled flags, `-c cmd` or `-ccmd`): -l adds `listpeers`, -p `peers`, -s
// `dmpeers` among the -c commands in order; -i forces interactive mode; -n prints numbers; each
// -d raises the debug level by one and -D sets it.
namespace Stratum.Tools.Ntpdc;

/// <summary>Parsed options, or an error text for stderr.</summary>
internal sealed record NtpdcCommandLine(
    bool IPv4Only,
    bool IPv6Only,
    int DebugLevel,
    bool Interactive,
    bool NumericHosts,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string> Hosts,
    bool ShowVersion,
    string? Error)
{
    public const string Usage = "ntpdc - vendor-specific NTP query program - Ver. 4.2.8 (Stratum)\n"
        + "Usage:  ntpdc [ -<flag> [<val>] | --<name>[{=| }<val>] ]... [ host ...]\n"
        + "  -4  Force IPv4 name resolution\n"
        + "  -6  Force IPv6 name resolution\n"
        + "  -c  run a command and exit (may be repeated)\n"
        + "  -d  Increase debug verbosity level\n"
        + "  -D  Set the debug verbosity level\n"
        + "  -i  Force ntpdc to operate in interactive mode\n"
        + "  -l  Print a list of the peers\n"
        + "  -n  numeric host addresses\n"
        + "  -p  Print a list of the peers\n"
        + "  -s  Show a list of the peers";

    public static NtpdcCommandLine Parse(IReadOnlyList<string> args)
    {
        bool ipv4 = false, ipv6 = false, interactive = false, numeric = false;
        int debug = 0;
        var commands = new List<string>();
        var hosts = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--version")
            {
                return new NtpdcCommandLine(false, false, 0, false, false, [], [], true, null);
            }

            if (arg == "--")
            {
                for (int j = i + 1; j < args.Count; j++)
                {
                    hosts.Add(args[j]);
                }

                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                hosts.Add(arg);
                continue;
            }

            for (int j = 1; j < arg.Length; j++)
            {
                switch (arg[j])
                {
                    case '4': ipv4 = true; ipv6 = false; break;
                    case '6': ipv6 = true; ipv4 = false; break;
                    case 'd': debug++; break;
                    case 'i': interactive = true; break;
                    case 'n': numeric = true; break;
                    case 'l': commands.Add("listpeers"); break;
                    case 'p': commands.Add("peers"); break;
                    case 's': commands.Add("dmpeers"); break;
                    case 'c':
                        if (j + 1 < arg.Length)
                        {
                            commands.Add(arg[(j + 1)..]);
                        }
                        else if (i + 1 < args.Count)
                        {
                            commands.Add(args[++i]);
                        }
                        else
                        {
                            return Failed("ntpdc: option requires an argument -- c");
                        }

                        j = arg.Length;
                        break;
                    case 'D':
                        string? level = j + 1 < arg.Length ? arg[(j + 1)..] : i + 1 < args.Count ? args[++i] : null;
                        if (level is null)
                        {
                            return Failed("ntpdc: option requires an argument -- D");
                        }

                        if (!int.TryParse(level, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out debug))
                        {
                            return Failed($"ntpdc: invalid debug level '{level}'");
                        }

                        j = arg.Length;
                        break;
                    default:
                        return Failed($"ntpdc: illegal option -- {arg[j]}");
                }
            }
        }

        return new NtpdcCommandLine(ipv4, ipv6, debug, interactive, numeric, commands, hosts, false, null);
    }

    private static NtpdcCommandLine Failed(string error) => new(false, false, 0, false, false, [], [], false, error);
}

// NtpqCommandLine: ntpq 4.2.8's command line, `ntpq [-46dinpw] [-D level] [-c cmd]... [host...]`,
// parsed getopt-style (bundled flags as in `-pn`, `-c cmd` or `-ccmd`). -p adds the command `peers`
// in its place among the -c commands, as ntpq does; -i asks for interactive mode; each -d raises
// the debug level by one (-dd is 2) and -D sets it.
namespace Stratum.Tools.Ntpq;

/// <summary>Parsed options, or an error text for stderr.</summary>
internal sealed record NtpqCommandLine(
    bool IPv4Only,
    bool IPv6Only,
    int DebugLevel,
    bool Interactive,
    bool NumericHosts,
    bool Wide,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string> Hosts,
    bool ShowVersion,
    string? Error)
{
    public static NtpqCommandLine Parse(IReadOnlyList<string> args)
    {
        bool ipv4 = false, ipv6 = false, interactive = false, numeric = false, wide = false;
        int debug = 0;
        var commands = new List<string>();
        var hosts = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--version")
            {
                return new NtpqCommandLine(false, false, 0, false, false, false, [], [], true, null);
            }

            if (arg == "--")
            {
                hosts.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                hosts.Add(arg);
                continue;
            }

            for (int j = 1; j < arg.Length; j++)
            {
                char option = arg[j];
                switch (option)
                {
                    case '4': ipv4 = true; ipv6 = false; break;
                    case '6': ipv6 = true; ipv4 = false; break;
                    case 'd': debug++; break;
                    case 'i': interactive = true; break;
                    case 'n': numeric = true; break;
                    case 'p': commands.Add("peers"); break;
                    case 'w': wide = true; break;
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
                            return Failed("ntpq: option requires an argument -- c");
                        }

                        j = arg.Length;
                        break;
                    case 'D':
                        string? level = j + 1 < arg.Length ? arg[(j + 1)..] : i + 1 < args.Count ? args[++i] : null;
                        if (level is null)
                        {
                            return Failed("ntpq: option requires an argument -- D");
                        }

                        if (!int.TryParse(level, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out debug))
                        {
                            return Failed($"ntpq: invalid debug level '{level}'");
                        }

                        j = arg.Length;
                        break;
                    default:
                        return Failed($"ntpq: illegal option -- {option}");
                }
            }
        }

        return new NtpqCommandLine(ipv4, ipv6, debug, interactive, numeric, wide, commands, hosts, false, null);
    }

    public const string Usage = "ntpq - standard NTP query program - Ver. 4.2.8 (Stratum)\n"
        + "Usage:  ntpq [ -<flag> [<val>] | --<name>[{=| }<val>] ]... [ host ...]\n"
        + "  -4  Force IPv4 name resolution\n"
        + "  -6  Force IPv6 name resolution\n"
        + "  -c  run a command and exit (may be repeated)\n"
        + "  -d  Increase debug verbosity level\n"
        + "  -D  Set the debug verbosity level\n"
        + "  -i  Force ntpq to operate in interactive mode\n"
        + "  -n  numeric host addresses\n"
        + "  -p  Print a list of the peers\n"
        + "  -w  Display the full 'remote' value";

    private static NtpqCommandLine Failed(string error) => new(false, false, 0, false, false, false, [], [], false, error);
}

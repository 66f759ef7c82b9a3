// NtpqCli: ntpq's command line (ntpq 4.2.8 ntpq.c ntpqmain): parses options, opens one UDP
// transport, and for each host (default localhost) runs the -c/-p commands in order through a
// Mode6Client. Exit codes: 0 after the commands ran (ntpq reports query failures on stderr and
// still exits 0), 1 for an unresolvable host or a transport that cannot open, 2 for a bad
// command line. Without -c/-p (or with -i) ntpq is interactive: it reads commands from stdin,
// printing the prompt "ntpq> " before each, until EOF, quit or exit; with several hosts the
// interactive session talks to the first (`host` switches). On a terminal (environment Keys) the
// command line is read by the shared LineEditor, with editing and this run's history; otherwise
// (pipes, files, tests) line by line from Input. -d/-D set the level of one DebugTrace shared by
// every Mode6Client of the run; its lines go to stderr.
// Deviation: ntpq 4.2.8 prints its debug lines on stdout; here they go to stderr, so what scripts
// parse on stdout is the same with and without -d.
using System.Net;
using System.Net.Sockets;
using Stratum.Client.Diagnostics;
using Stratum.Client.Mode6;
using Stratum.Client.Terminal;
using Stratum.Client.Transport;

namespace Stratum.Tools.Ntpq;

internal static class NtpqCli
{
    public const string VersionText = "ntpq Stratum 0.1.0 (ntpd 4.2.8 compatible)";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, NtpqEnvironment.Default);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, NtpqEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        NtpqCommandLine commandLine = NtpqCommandLine.Parse(args);
        if (commandLine.Error is not null)
        {
            stderr.Write(commandLine.Error + "\n" + NtpqCommandLine.Usage + "\n");
            return 2;
        }

        if (commandLine.ShowVersion)
        {
            stdout.WriteLine(VersionText);
            return 0;
        }

        bool interactive = commandLine.Interactive || commandLine.Commands.Count == 0;
        IReadOnlyList<string> hosts = commandLine.Hosts.Count > 0 ? commandLine.Hosts : ["localhost"];
        TransportOpenResult opened = environment.OpenTransport(
            new TransportOpenRequest(false, !commandLine.IPv6Only, !commandLine.IPv4Only), environment.Clock);
        if (opened.Transport is null)
        {
            stderr.Write($"ntpq: cannot open a socket: {opened.Error.Message}\n");
            return 1;
        }

        using INtpTransport transport = opened.Transport;
        var trace = new DebugTrace(line => stderr.Write(line + "\n"), commandLine.DebugLevel);
        ushort sequence = 1;
        string? openHost = null;
        Mode6Client? Connect(string host)
        {
            IPAddress? address = QueryHost.Resolve(host, commandLine.IPv4Only, commandLine.IPv6Only);
            if (address is null)
            {
                return null;
            }

            // ntpq's openhost: the canonical name, or the address when a number was given.
            string name = IPAddress.TryParse(host, out _) ? address.ToString() : host;
            trace.Write(3, $"Opening host {name} ({(address.AddressFamily == AddressFamily.InterNetworkV6 ? "AF_INET6" : "AF_INET")})");
            if (openHost is not null)
            {
                trace.Write(3, $"Closing old host {openHost}");
            }

            openHost = name;
            sequence += 100;
            return new Mode6Client(transport, environment.Clock, new IPEndPoint(address, environment.Port), sequence) { Trace = trace };
        }

        foreach (string host in hosts)
        {
            Mode6Client? client = Connect(host);
            if (client is null)
            {
                stderr.Write($"***Can't find host {host}\n");
                return 1;
            }

            var session = new NtpqSession(Connect, client, host, environment, commandLine.NumericHosts, stdout, stderr, commandLine.Wide);
            if (interactive)
            {
                RunInteractive(session, new CommandLineReader(environment.Input, environment.Keys, stdout), stdout);
                return 0;
            }

            foreach (string command in commandLine.Commands)
            {
                if (!session.Execute(command))
                {
                    break;
                }
            }
        }

        return 0;
    }

    /// <summary>Prompt, read a line, run it; stops at EOF, quit or exit (bounded by the input).</summary>
    private static void RunInteractive(NtpqSession session, CommandLineReader input, TextWriter stdout)
    {
        while (true)
        {
            stdout.Write("ntpq> ");
            stdout.Flush();
            string? line = input.ReadLine();
            if (line is null)
            {
                return;
            }

            if (!session.Execute(line))
            {
                return;
            }
        }
    }
}

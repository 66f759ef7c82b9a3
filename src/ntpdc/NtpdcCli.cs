// NtpdcCli: ntpdc's command line (ntpdc 4.2.8 ntpdc.c ntpdcmain): parses options, opens one UDP
// transport and, for each host (default localhost), runs the -c/-l/-p/-s commands in order, or
// reads commands from stdin after the prompt "ntpdc> " when none were given (or with -i). Exit
// codes: 0 after the commands ran (query failures are reported on stderr), 1 for an unresolvable
// host or a transport that cannot open, 2 for a bad command line. On a terminal (environment
// Keys) the command line is read by the shared LineEditor, with editing and history. -d/-D set
// the level of one DebugTrace shared by the run's clients; its lines go to stderr.
// Deviation: ntpdc 4.2.8 prints its debug lines on stdout; here they go to stderr, so stdout is the
// same with and without -d.
using System.Net;
using System.Net.Sockets;
using Stratum.Client.Diagnostics;
using Stratum.Client.Mode6;
using Stratum.Client.Mode7;
using Stratum.Client.Terminal;
using Stratum.Client.Transport;

namespace Stratum.Tools.Ntpdc;

internal static class NtpdcCli
{
    public const string VersionText = "ntpdc Stratum 0.1.0 (ntpd 4.2.8 compatible)";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, NtpdcEnvironment.Default);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, NtpdcEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        NtpdcCommandLine commandLine = NtpdcCommandLine.Parse(args);
        if (commandLine.Error is not null)
        {
            stderr.Write(commandLine.Error + "\n" + NtpdcCommandLine.Usage + "\n");
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
            stderr.Write($"ntpdc: cannot open a socket: {opened.Error.Message}\n");
            return 1;
        }

        using INtpTransport transport = opened.Transport;
        var trace = new DebugTrace(line => stderr.Write(line + "\n"), commandLine.DebugLevel);
        ushort sequence = 1;
        string? openHost = null;
        NtpdcQueries? Connect(string host)
        {
            IPAddress? address = QueryHost.Resolve(host, commandLine.IPv4Only, commandLine.IPv6Only);
            if (address is null)
            {
                return null;
            }

            // ntpdc's openhost: the canonical name, or the address when a number was given.
            string name = IPAddress.TryParse(host, out _) ? address.ToString() : host;
            trace.Write(3, $"Opening host {name}");
            if (openHost is not null)
            {
                trace.Write(3, $"Closing old host {openHost}");
            }

            openHost = name;
            var server = new IPEndPoint(address, environment.Port);
            sequence += 100;
            return new NtpdcQueries(new Mode7Client(transport, environment.Clock, server) { Trace = trace },
                new Mode6Client(transport, environment.Clock, server, sequence) { Trace = trace }, environment.Mode7ProbeTimeoutNanoseconds);
        }

        foreach (string host in hosts)
        {
            NtpdcQueries? queries = Connect(host);
            if (queries is null)
            {
                stderr.Write($"***Can't find host {host}\n");
                return 1;
            }

            var session = new NtpdcSession(Connect, queries, host, environment, commandLine.NumericHosts, stdout, stderr);
            if (interactive)
            {
                var input = new CommandLineReader(environment.Input, environment.Keys, stdout);
                while (true)
                {
                    stdout.Write("ntpdc> ");
                    stdout.Flush();
                    string? line = input.ReadLine();
                    if (line is null || !session.Execute(line))
                    {
                        return 0;
                    }
                }
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
}

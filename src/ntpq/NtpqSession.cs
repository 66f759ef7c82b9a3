// NtpqSession: runs ntpq commands against one server over a Mode6Client (ntpq.c docmd and the
// command table of ntpq-subs.c). Implemented: peers, associations (as), readvar (rv), timeout,
// version. Keywords may be abbreviated to a unique prefix, as in ntpq. Errors are written to
// stderr in ntpq's words ("***Request timed out", "***Command `x' unknown").
// Not yet: lpeers, opeers, lassociations, clockvar, pstatus, mrulist, ifstats, reslist, sysinfo,
// sysstats, kerninfo, iostats, host, raw, help, writevar and the config commands.
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Client.Mode6;
using Stratum.Core.Mode6;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpq;

/// <summary>One host's command interpreter.</summary>
internal sealed class NtpqSession(Mode6Client client, NtpqEnvironment environment, bool numericHosts, TextWriter stdout, TextWriter stderr)
{
    private static readonly string[] s_keywords = ["associations", "peers", "readvar", "rv", "timeout", "version"];

    public void Execute(string commandLine)
    {
        string[] words = commandLine.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return;
        }

        string? keyword = Resolve(words[0]);
        if (keyword is null)
        {
            return;
        }

        string[] arguments = words[1..];
        switch (keyword)
        {
            case "peers": Peers(); break;
            case "associations": Associations(); break;
            case "readvar" or "rv": ReadVariables(arguments); break;
            case "timeout": Timeout(arguments); break;
            case "version": stdout.Write(NtpqCli.VersionText + "\n"); break;
            default: break;
        }
    }

    private string? Resolve(string word)
    {
        string lower = word.ToLowerInvariant();
        if (Array.IndexOf(s_keywords, lower) >= 0)
        {
            return lower;
        }

        string? match = null;
        foreach (string keyword in s_keywords)
        {
            if (keyword.StartsWith(lower, StringComparison.Ordinal))
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

    private List<(ushort Id, ushort Status)>? ReadAssociations()
    {
        Mode6Result result = client.Query(ControlOpcode.ReadStatus, 0, []);
        if (!Report(result, 0))
        {
            return null;
        }

        if (result.Data.Length == 0)
        {
            stderr.Write("No association ID's returned\n");
            return null;
        }

        if ((result.Data.Length & 3) != 0)
        {
            stderr.Write(string.Create(CultureInfo.InvariantCulture, $"***Server returned {result.Data.Length} octets, should be multiple of 4\n"));
            return null;
        }

        var list = new List<(ushort, ushort)>();
        for (int i = 0; i + 4 <= result.Data.Length; i += 4)
        {
            list.Add((System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(result.Data.AsSpan(i)),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(result.Data.AsSpan(i + 2))));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    private void Associations()
    {
        List<(ushort Id, ushort Status)>? associations = ReadAssociations();
        if (associations is not null)
        {
            stdout.Write(AssociationsTable.Format(associations));
        }
    }

    private void Peers()
    {
        List<(ushort Id, ushort Status)>? associations = ReadAssociations();
        if (associations is null)
        {
            return;
        }

        stdout.Write(PeersTable.Header);
        var table = new PeersTable(numericHosts, ReverseLookup);
        foreach ((ushort id, ushort status) in associations)
        {
            PeerStatusWord word = PeerStatusWord.Decode(status);
            if (!word.Configured && !word.Reachable)
            {
                continue;
            }

            Mode6Result result = client.Query(ControlOpcode.ReadVariables, id, []);
            if (!Report(result, id))
            {
                return;
            }

            if (result.Data.Length == 0)
            {
                stderr.Write(string.Create(CultureInfo.InvariantCulture, $"***No information returned for association {id}\n"));
                return;
            }

            NtpTimestamp now = NtpTimestamp.FromUnixNanoseconds(environment.Clock.ReadRealtimeNanoseconds());
            stdout.Write(table.Line(result.Status, VariableList.Parse(result.Data), now));
        }
    }

    private void ReadVariables(string[] arguments)
    {
        ushort associationId = 0;
        int first = 0;
        if (arguments.Length > 0 && char.IsAsciiDigit(arguments[0][0]))
        {
            if (!ushort.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out associationId))
            {
                stderr.Write($"***Association ID {arguments[0]} invalid/undecodable\n");
                return;
            }

            first = 1;
        }

        var names = new List<string>();
        foreach (string argument in arguments[first..])
        {
            names.AddRange(argument.Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        byte[] request = Encoding.ASCII.GetBytes(string.Join(",", names));
        Mode6Result result = client.Query(ControlOpcode.ReadVariables, associationId, request);
        if (!Report(result, associationId))
        {
            return;
        }

        if (result.Data.Length == 0)
        {
            stderr.Write(associationId == 0 ? "No system data returned\n" : "No data returned for association\n");
            return;
        }

        var printer = new VariablePrinter(numericHosts, environment.Clock.ReadRealtimeNanoseconds(), environment.Zone);
        stdout.Write(printer.Print(associationId, result.Status, associationId == 0, VariableList.Parse(result.Data)));
    }

    private void Timeout(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"primary timeout {client.TimeoutNanoseconds / 1_000_000} ms\n"));
            return;
        }

        if (!long.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds))
        {
            stderr.Write($"***Illegal integer value {arguments[0]}\n");
            return;
        }

        client.TimeoutNanoseconds = milliseconds * 1_000_000;
    }

    private bool Report(Mode6Result result, ushort associationId)
    {
        if (result.IsSuccess)
        {
            return true;
        }

        stderr.Write(result.Message(associationId) + "\n");
        return false;
    }

    private static string? ReverseLookup(IPAddress address)
    {
        try
        {
            string name = Dns.GetHostEntry(address).HostName;
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }
}

// NtpqSession: runs ntpq commands against one server at a time over a Mode6Client (ntpq.c docmd
// and the command table of ntpq-subs.c). Keywords may be abbreviated to a unique prefix, as in
// ntpq. Errors go to stderr in ntpq's words ("***Request timed out", "***Command `x' unknown").
// The display tables of sysinfo & co live in DisplayTables, the peers spreadsheet in PeersTable,
// ifstats/reslist in OrderedListPrinter; the authenticated commands (keyid, passwd, :config,
// writevar, writelist, saveconfig) in NtpqSession.Authentication; the session's variable list
// (addvars, readlist, writelist) and association ranges (mreadvar) in NtpqSession.Lists. mrulist fetches through the client's MruCollector and prints MruListTable.
// `debug` changes the level of the DebugTrace the clients share (ntpq -d). Whatever the server sends
// is printed with its control characters escaped ("\x1b", TerminalText): through VariableList, the
// raw output, the :config answer and reverse-DNS names.
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Client.Mode6;
using Stratum.Core.Mode6;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpq;

/// <summary>One ntpq command interpreter; <see cref="Execute"/> returns false on quit.</summary>
internal sealed partial class NtpqSession(Func<string, Mode6Client?> connect, Mode6Client initial, string initialHost, NtpqEnvironment environment,
    bool numericHosts, TextWriter stdout, TextWriter stderr, bool wide = false)
{
    private static readonly string[] s_modes = ["unspec", "sym_active", "sym_passive", "client", "server", "broadcast", "control", "private", "bclient"];

    private Mode6Client _client = initial;
    private string _host = initialHost;
    private bool _numeric = numericHosts;
    private bool _raw;
    private List<(ushort Id, ushort Status)> _associations = [];

    public bool Execute(string commandLine)
    {
        string[] words = commandLine.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return true;
        }

        if (words[0] == ":config")
        {
            // The rest of the line is configuration text, sent as typed.
            Configure(commandLine.TrimStart()[":config".Length..].Trim());
            return true;
        }

        string? keyword = NtpqCommands.Resolve(words[0], out string? error);
        if (keyword is null)
        {
            stderr.Write(error + "\n");
            return true;
        }

        string[] arguments = words[1..];
        if (!TakeRedirection(ref arguments, out TextWriter? redirected) || !ResolveAssociationIndexes(arguments))
        {
            return true;
        }

        if (redirected is null)
        {
            return Run(keyword, arguments);
        }

        // `> file`: the command's output goes to the file (ntpq's current_output); errors stay on stderr.
        TextWriter console = stdout;
        stdout = redirected;
        try
        {
            return Run(keyword, arguments);
        }
        finally
        {
            stdout = console;
            redirected.Dispose();
        }
    }

    // ntpq's docmd: a word starting with '>' sends the output to the file it names (the rest of the word, or the
    // next word); the words after it are not arguments. False (with ntpq's message) when no file can be opened.
    private bool TakeRedirection(ref string[] arguments, out TextWriter? redirected)
    {
        redirected = null;
        int at = Array.FindIndex(arguments, static word => word.StartsWith('>'));
        if (at < 0)
        {
            return true;
        }

        string? name = arguments[at].Length > 1 ? arguments[at][1..] : at + 1 < arguments.Length ? arguments[at + 1] : null;
        arguments = arguments[..at];
        if (name is null)
        {
            stderr.Write("***No file for redirect\n");
            return false;
        }

        try
        {
            redirected = new StreamWriter(name, append: false) { NewLine = "\n" };
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.Write($"***Error opening {name}: {e.Message}\n");
            return false;
        }
    }

    // ntpq's getarg: `&N` stands for the N-th association of the last list (fetched first if there is none; an
    // index past the end is the last one). False (with ntpq's message) for an index it cannot resolve.
    private bool ResolveAssociationIndexes(string[] arguments)
    {
        for (int i = 0; i < arguments.Length; i++)
        {
            string word = arguments[i];
            if (!word.StartsWith('&'))
            {
                continue;
            }

            if (!uint.TryParse(word.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out uint index) || index == 0)
            {
                stderr.Write($"***Association index `{word}' invalid/undecodable\n");
                return false;
            }

            if (_associations.Count == 0 && (!Fetch() || _associations.Count == 0))
            {
                stderr.Write($"***No associations found, `{word}' unknown\n");
                return false;
            }

            arguments[i] = _associations[(int)Math.Min(index, (uint)_associations.Count) - 1].Id.ToString(CultureInfo.InvariantCulture);
        }

        return true;
    }

    private bool Run(string keyword, string[] arguments)
    {
        switch (keyword)
        {
            case "peers": Peers(false, PeersVariant.Peers, arguments); break;
            case "lpeers": Peers(true, PeersVariant.Peers, arguments); break;
            case "opeers": Peers(false, PeersVariant.OldPeers, arguments); break;
            case "lopeers": Peers(true, PeersVariant.OldPeers, arguments); break;
            case "apeers": Peers(false, PeersVariant.AssociationPeers, arguments); break;
            case "associations": Associations(false, fetch: true); break;
            case "lassociations": Associations(true, fetch: true); break;
            case "passociations": Associations(false, fetch: false); break;
            case "lpassociations": Associations(true, fetch: false); break;
            case "readvar" or "rv": ReadVariables(ControlOpcode.ReadVariables, arguments); break;
            case "clockvar" or "cv": ReadVariables(ControlOpcode.ReadClock, arguments); break;
            case "pstatus": PeerStatus(arguments); break;
            case "pstats": PeerStats(arguments); break;
            case "sysinfo": CollectDisplay(0, DisplayTables.SystemInfo, decodeStatus: true); break;
            case "kerninfo": CollectDisplay(0, DisplayTables.KernelInfo, decodeStatus: true); break;
            case "sysstats": CollectDisplay(0, DisplayTables.SystemStats, decodeStatus: false); break;
            case "monstats": CollectDisplay(0, DisplayTables.MonitorStats, decodeStatus: false); break;
            case "iostats": CollectDisplay(0, DisplayTables.IoStats, decodeStatus: false); break;
            case "timerstats": CollectDisplay(0, DisplayTables.TimerStats, decodeStatus: false); break;
            case "authinfo": CollectDisplay(0, DisplayTables.AuthInfo, decodeStatus: false); break;
            case "ifstats": OrderedList(string.Empty); break;
            case "reslist": OrderedList("addr_restrictions"); break;
            case "mrulist": MruList(arguments); break;
            case "timeout": Timeout(arguments); break;
            case "delay": AuthenticationDelay(arguments); break;
            case "poll": stdout.Write("poll not implemented yet\n"); break;
            case "ntpversion": NtpVersion(arguments); break;
            case "drefid": ReferenceIdDisplay(arguments); break;
            case "debug": Debug(arguments); break;
            case "host": Host(arguments); break;
            case "hostnames": HostNames(arguments); break;
            case "raw": _raw = true; stdout.Write("Output set to raw\n"); break;
            case "cooked": _raw = false; stdout.Write("Output set to cooked\n"); break;
            case "version": stdout.Write(NtpqCli.VersionText + "\n"); break;
            case "help" or "?": stdout.Write(arguments.Length == 0 ? NtpqCommands.Listing() : Help(arguments[0])); break;
            case "keyid": SetKeyId(arguments); break;
            case "keytype": SetKeyType(arguments); break;
            case "passwd": Password(arguments); break;
            case "authenticate": Authenticate(arguments); break;
            case "config-from-file": ConfigureFromFile(arguments); break;
            case "writevar": WriteVariables(arguments); break;
            case "saveconfig": SaveConfiguration(arguments); break;
            case "addvars": AddVariables(arguments); break;
            case "rmvars": RemoveVariables(arguments); break;
            case "clearvars": _variables.Clear(); break;
            case "showvars": stdout.Write(_variables.Show()); break;
            case "readlist" or "rl": ReadList(ControlOpcode.ReadVariables, arguments); break;
            case "clocklist" or "cl": ReadList(ControlOpcode.ReadClock, arguments); break;
            case "writelist": WriteList(arguments); break;
            case "mreadvar" or "mrv": MultipleRead(keyword, arguments, ownList: true); break;
            case "mreadlist" or "mrl": MultipleRead(keyword, arguments, ownList: false); break;
            case "quit" or "exit": return false;
            default: break;
        }

        return true;
    }

    private static string Help(string word)
    {
        string? keyword = NtpqCommands.Resolve(word, out string? error);
        return keyword is null ? error + "\n" : NtpqCommands.Describe(keyword);
    }

    private bool Fetch()
    {
        Mode6Result result = Query(ControlOpcode.ReadStatus, 0, []);
        if (!Report(result, 0))
        {
            return false;
        }

        if (result.Data.Length == 0)
        {
            stdout.Write("No association ID's returned\n");
            return false;
        }

        if ((result.Data.Length & 3) != 0)
        {
            stderr.Write(string.Create(CultureInfo.InvariantCulture, $"***Server returned {result.Data.Length} octets, should be multiple of 4\n"));
            return false;
        }

        var list = new List<(ushort, ushort)>();
        for (int i = 0; i + 4 <= result.Data.Length; i += 4)
        {
            list.Add((System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(result.Data.AsSpan(i)),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(result.Data.AsSpan(i + 2))));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        _associations = list;
        return true;
    }

    private void Associations(bool showAll, bool fetch)
    {
        if (fetch && !Fetch())
        {
            return;
        }

        stdout.Write(AssociationsTable.Format(_associations, showAll));
    }

    private void Peers(bool showAll, PeersVariant variant, string[] arguments)
    {
        System.Net.Sockets.AddressFamily? family = arguments is ["-4", ..] ? System.Net.Sockets.AddressFamily.InterNetwork
            : arguments is ["-6", ..] ? System.Net.Sockets.AddressFamily.InterNetworkV6 : null;
        if (!Fetch())
        {
            return;
        }

        var table = new PeersTable(_numeric, Stratum.Client.Transport.QueryHost.ReverseLookup, variant, wide, _hashRefids);
        stdout.Write(table.HeaderText);
        foreach ((ushort id, ushort status) in _associations)
        {
            PeerStatusWord word = PeerStatusWord.Decode(status);
            if (!showAll && !word.Configured && !word.Reachable)
            {
                continue;
            }

            Mode6Result result = Query(ControlOpcode.ReadVariables, id, []);
            if (!Report(result, id))
            {
                return;
            }

            if (result.Data.Length == 0)
            {
                stderr.Write(string.Create(CultureInfo.InvariantCulture, $"***No information returned for association {id}\n"));
                return;
            }

            VariableList variables = VariableList.Parse(result.Data);
            if (family is { } wanted && NtpqValues.ParseAddress(variables["srcadr"] ?? string.Empty)?.AddressFamily != wanted)
            {
                continue;
            }

            NtpTimestamp now = NtpTimestamp.FromUnixNanoseconds(environment.Clock.ReadRealtimeNanoseconds());
            stdout.Write(table.Line(id, result.Status, variables, now));
        }
    }

    /// <summary>readvar/rv and clockvar/cv: "[assocID] [name[,name...]]...".</summary>
    private void ReadVariables(ControlOpcode opcode, string[] arguments)
    {
        if (!TryAssociationArgument(arguments, out ushort associationId, out int first))
        {
            return;
        }

        var names = new List<string>();
        foreach (string argument in arguments[first..])
        {
            names.AddRange(argument.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        bool clock = opcode == ControlOpcode.ReadClock;
        ListVariables(opcode, associationId, Encoding.ASCII.GetBytes(string.Join(",", names)),
            quiet: names.Count > 0, clock ? VariableKind.Clock : associationId == 0 ? VariableKind.System : VariableKind.Peer);
    }

    /// <summary>pstatus (ntpq 4.2.6): the peer status word of one association, and any variables sent with it.</summary>
    private void PeerStatus(string[] arguments)
    {
        if (!TryRequiredAssociation(arguments, out ushort associationId))
        {
            return;
        }

        Mode6Result result = Query(ControlOpcode.ReadStatus, associationId, []);
        if (!Report(result, associationId))
        {
            return;
        }

        stdout.Write(string.Create(CultureInfo.InvariantCulture, $"associd={associationId} status={result.Status:x4} {StatusText.Peer(result.Status)},\n"));
        if (result.Data.Length > 0)
        {
            PrintVariables(associationId, result, VariableKind.Peer, quiet: true);
        }
    }

    private void PeerStats(string[] arguments)
    {
        if (TryRequiredAssociation(arguments, out ushort associationId))
        {
            CollectDisplay(associationId, DisplayTables.PeerStats, decodeStatus: true);
        }
    }

    private void PrintVariables(ushort associationId, Mode6Result result, VariableKind kind, bool quiet)
    {
        if (_raw)
        {
            var text = new StringBuilder();
            if (!quiet)
            {
                text.Append(CultureInfo.InvariantCulture, $"associd={associationId} status=0x{result.Status:x4},\n");
            }

            string data = Stratum.Client.Display.TerminalText.FromWire(result.Data, keepLineBreaks: true);
            text.Append(data);
            if (!data.EndsWith('\n'))
            {
                text.Append('\n');
            }

            stdout.Write(text.ToString());
            return;
        }

        var printer = new VariablePrinter(_numeric, environment.Clock.ReadRealtimeNanoseconds(), environment.Zone);
        stdout.Write(printer.Print(associationId, result.Status, kind, VariableList.Parse(result.Data), quiet));
    }

    /// <summary>collect_display_vdc: one READVAR for a table's tags, then "label  value" lines in table order.</summary>
    private void CollectDisplay(ushort associationId, (string Tag, string Label, DisplayKind Kind)[] table, bool decodeStatus)
    {
        var tags = new List<string>();
        foreach ((string tag, _, DisplayKind kind) in table)
        {
            if (kind == DisplayKind.AddressPair)
            {
                tags.Add(tag + "adr");
                tags.Add(tag + "port");
            }
            else
            {
                tags.Add(tag);
            }
        }

        Mode6Result result = Query(ControlOpcode.ReadVariables, associationId, Encoding.ASCII.GetBytes(string.Join(",", tags)));
        if (!Report(result, associationId))
        {
            return;
        }

        VariableList variables = VariableList.Parse(result.Data);
        var text = new StringBuilder();
        if (decodeStatus)
        {
            string status = associationId == 0 ? StatusText.System(result.Status) : StatusText.Peer(result.Status);
            text.Append(CultureInfo.InvariantCulture, $"associd={associationId} status={result.Status:x4} {status},\n");
        }

        foreach ((string tag, string label, DisplayKind kind) in table)
        {
            string? value = kind == DisplayKind.AddressPair ? variables[tag + "adr"] : variables[tag];
            string? shown = kind switch
            {
                DisplayKind.Text => value is null ? null : Unquote(value),
                DisplayKind.AddressPort => AddressWithPort(value ?? string.Empty, null),
                DisplayKind.AddressPair => AddressWithPort(value ?? string.Empty, variables[tag + "port"]),
                DisplayKind.Timestamp => value is not null && NtpqValues.TryParseTimestamp(value, out NtpTimestamp stamp)
                    ? NtpqValues.PrettyDate(stamp, environment.Clock.ReadRealtimeNanoseconds(), environment.Zone)
                    : NtpqValues.PrettyDate(NtpTimestamp.Zero, environment.Clock.ReadRealtimeNanoseconds(), environment.Zone),
                DisplayKind.Mode => value is null ? null : ModeName(value),
                DisplayKind.LeapBits => value is null ? null : LeapBits(value),
                _ => null,
            };
            if (shown is not null)
            {
                text.Append(label).Append("  ").Append(shown).Append('\n');
            }
        }

        stdout.Write(text.ToString());
    }

    private void OrderedList(string listName)
    {
        // ntpd and NTPsec answer READ_ORDLIST_A only when signed with the controlkey: ask for it as :config does.
        Mode6Result? result = QueryAuthenticated(ControlOpcode.ReadOrderedList, 0, Encoding.ASCII.GetBytes(listName));
        if (result is null || !Report(result, 0))
        {
            return;
        }

        VariableList variables = VariableList.Parse(result.Data);
        stdout.Write(listName.Length == 0 ? OrderedListPrinter.Interfaces(variables) : OrderedListPrinter.Restrictions(variables));
    }

    /// <summary>mrulist [tag=value]...: the nonce handshake, READ_MRU until the list is complete, then the table (raw: each answer's variables).</summary>
    private void MruList(string[] arguments)
    {
        stderr.Write("Ctrl-C will stop MRU retrieval and display partial results.\n");
        (string parameters, string sort) = MruListTable.ParseArguments(arguments, stderr);
        var collector = new MruCollector(_client, environment.Clock, stderr.Write);
        if (_raw)
        {
            collector.RawAnswer = data => PrintVariables(0, new Mode6Result(Mode6Error.None, 0, data), VariableKind.System, quiet: true);
        }

        MruCollection collection = collector.Collect(parameters);
        if (!collection.IsSuccess || _raw)
        {
            return;
        }

        stdout.Write(MruListTable.Format(collection, sort, address => _numeric ? address.ToString() : Stratum.Client.Transport.QueryHost.ReverseLookup(address) ?? address.ToString()));
    }

    private void Timeout(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"primary timeout {_client.TimeoutNanoseconds / 1_000_000} ms\n"));
            return;
        }

        if (!long.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds))
        {
            stderr.Write($"***Illegal integer value {arguments[0]}\n");
            return;
        }

        _client.TimeoutNanoseconds = milliseconds * 1_000_000;
    }

    // ntpq's auth_delay: the delay (ms) ntpq 4.2.8 keeps for encryption time stamps; mode 6 MACs carry no
    // time stamp, so it is only shown and set.
    private void AuthenticationDelay(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"delay {_authenticationDelayMilliseconds} ms\n"));
            return;
        }

        if (!long.TryParse(arguments[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long milliseconds))
        {
            stderr.Write($"***Illegal integer value {arguments[0]}\n");
            return;
        }

        _authenticationDelayMilliseconds = milliseconds;
    }

    private long _authenticationDelayMilliseconds;

    // The version field of requests: shown, or set to 1..4.
    private void NtpVersion(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"NTP version being claimed is {_client.Version}\n"));
            return;
        }

        if (!uint.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint version))
        {
            stderr.Write($"***Illegal unsigned value {arguments[0]}\n");
            return;
        }

        if (version is < 1 or > 4)
        {
            stderr.Write("versions 1 to 4, please\n");
            return;
        }

        _client.Version = (byte)version;
    }

    // How the peers table shows address refids: as IPv4 (default) or as hex, as apeers does (`hash`).
    private void ReferenceIdDisplay(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write($"drefid value is {(_hashRefids ? "hash" : "ipv4")}\n");
            return;
        }

        switch (arguments[0])
        {
            case "hash": _hashRefids = true; break;
            case "ipv4": _hashRefids = false; break;
            default: stdout.Write("What?\n"); return;
        }

        stdout.Write($"drefid value set to {(_hashRefids ? "hash" : "ipv4")}\n");
    }

    private bool _hashRefids;

    /// <summary>ntpq's setdebug: `debug` shows the level, `no`/`more`/`less` change it (it may go negative, as in ntpq).</summary>
    private void Debug(string[] arguments)
    {
        if (Stratum.Client.Diagnostics.DebugTrace.Command(arguments, _client.Trace?.Level ?? 0, stdout) is int level)
        {
            _client.Trace ??= new Stratum.Client.Diagnostics.DebugTrace(line => stderr.Write(line + "\n"));
            _client.Trace.Level = level;
        }
    }

    private void Host(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write($"current host is {_host}\n");
            return;
        }

        Mode6Client? next = connect(arguments[0]);
        if (next is null)
        {
            stderr.Write($"***Can't find host {arguments[0]}\n");
            return;
        }

        next.TimeoutNanoseconds = _client.TimeoutNanoseconds;
        next.Version = _client.Version;
        next.Trace ??= _client.Trace;
        _client = next;
        _host = arguments[0];
        _associations = [];
        stdout.Write($"current host set to {_host}\n");
    }

    private void HostNames(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            stdout.Write(_numeric ? "hostnames not being shown\n" : "hostnames being shown\n");
            return;
        }

        switch (arguments[0])
        {
            case "yes": _numeric = false; break;
            case "no": _numeric = true; break;
            default: stderr.Write("What?\n"); break;
        }
    }

    private bool TryAssociationArgument(string[] arguments, out ushort associationId, out int first)
    {
        associationId = 0;
        first = 0;
        if (arguments.Length > 0 && char.IsAsciiDigit(arguments[0][0]))
        {
            if (!ushort.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out associationId))
            {
                stderr.Write($"***Association ID {arguments[0]} invalid/undecodable\n");
                return false;
            }

            first = 1;
        }

        return true;
    }

    private bool TryRequiredAssociation(string[] arguments, out ushort associationId)
    {
        associationId = 0;
        if (arguments.Length == 0)
        {
            stderr.Write("***Command requires an association ID\n");
            return false;
        }

        if (!ushort.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out associationId) || associationId == 0)
        {
            stderr.Write($"***Invalid association ID {arguments[0]} specified\n");
            return false;
        }

        return true;
    }

    private string AddressWithPort(string value, string? port)
    {
        IPAddress? address = NtpqValues.ParseAddress(StripPort(value, out string? embeddedPort));
        string portText = port ?? embeddedPort ?? "0";
        if (address is null)
        {
            return value;
        }

        if (!_numeric && NtpqValues.IsRefclockAddress(address))
        {
            return NtpqValues.RefclockName(address);
        }

        string host = _numeric ? address.ToString() : Stratum.Client.Transport.QueryHost.ReverseLookup(address) ?? address.ToString();
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && _numeric ? $"[{host}]:{portText}" : $"{host}:{portText}";
    }

    /// <summary>"1.2.3.4:123" or "[::1]:123" → the address text and the port.</summary>
    private static string StripPort(string value, out string? port)
    {
        port = null;
        if (value.StartsWith('[') && value.IndexOf("]:", StringComparison.Ordinal) is int close and > 0)
        {
            port = value[(close + 2)..];
            return value[1..close];
        }

        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon == value.LastIndexOf(':'))
        {
            port = value[(colon + 1)..];
            return value[..colon];
        }

        return value;
    }

    private static string Unquote(string value) => value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static string ModeName(string value) =>
        NtpqValues.TryParseUnsigned(value, out ulong mode) && mode < (ulong)s_modes.Length ? s_modes[mode] : "mode#" + value;

    private static string LeapBits(string value) =>
        NtpqValues.TryParseUnsigned(value, out ulong leap)
            ? ((leap >> 1) & 1).ToString(CultureInfo.InvariantCulture) + (leap & 1).ToString(CultureInfo.InvariantCulture)
            : "00";

    private bool Report(Mode6Result result, ushort associationId)
    {
        if (result.IsSuccess)
        {
            return true;
        }

        // ntpq 4.2.8 names the host before a timeout: "localhost: timed out, nothing received".
        stderr.Write(result.Error switch
        {
            Mode6Error.Timeout => $"{_host}: timed out, nothing received\n",
            Mode6Error.Incomplete => $"{_host}: timed out with incomplete data\n",
            _ => string.Empty,
        });
        stderr.Write(result.Message(associationId) + "\n");
        return false;
    }
}

// MruCollector: fetches a server's whole MRU list the way ntpq 4.2.8's mrulist does (ntpq-subs.c
// collect_mru_list; the server side is ntpd's read_mru_list). It asks for a nonce (REQ_NONCE),
// then sends READ_MRU requests "nonce=…, frags=N[, filters]" and, after the first, the newest
// entries it already holds (", addr.0=…, last.0=0x…" and so on, as many as fit in one 468-octet
// request) so the server continues after them. Each answer carries entries oldest first (numbered
// from 0 per answer, fields in any order, unknown tags ignored) and a fresh nonce; the last one
// ends with now= (and last.newest=). An address seen again replaces its older row ("updates").
// Recovery as ntpq: CERR_UNKNOWNVAR drops the prior entries sent and retries from older ones (at
// most 8 restarts from the beginning); CERR_BADVALUE switches from frags= to limit= and then
// lowers the row limit; a timeout or incomplete answer halves frags=/limit=. Messages go to the
// diagnostics callback in ntpq's words ("nonce request failed", "\rRetrieved N unique MRU
// entries and M updates."); the server's text in them has its control characters escaped.
// Deviations: no 5 ms pause between requests (NTPsec dropped it too: on a busy server it keeps
// the fetch from ever catching up); after 4 requests in a row without an answer the fetch stops
// with ntpq's timeout message, where ntpq retries for ever; Ctrl-C does not interrupt it.
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Client.Sntp;
using Stratum.Core.Mode6;
using Stratum.Core.Time;

namespace Stratum.Client.Mode6;

/// <summary>The rows fetched (newest first) and the server's time at the end, or a failure.</summary>
public sealed record MruCollection(bool IsSuccess, IReadOnlyList<MruRecord> NewestFirst, NtpTimestamp Now, int Updates);

/// <summary>Runs one mrulist retrieval over a <see cref="Mode6Client"/>.</summary>
public sealed class MruCollector
{
    /// <summary>ntpq MAXFRAGS: fragments of one answer it can take.</summary>
    public const int MaxFragments = FragmentAssembler.MaxFragments;

    /// <summary>ntpd MRU_ROW_LIMIT: ntpq's first guess of the server's row limit.</summary>
    public const int ServerRowLimit = 256;

    private const int MaxRestarts = 8;
    private const int NonceReuseLimit = 4;
    private const int MaxSilentRequests = 4;
    private const long ReportIntervalNanoseconds = 5_000_000_000;

    private const int GotCount = 0x1;
    private const int GotLast = 0x2;
    private const int GotFirst = 0x4;
    private const int GotModeVersion = 0x8;
    private const int GotRestrictions = 0x10;
    private const int GotAddress = 0x20;
    private const int GotAll = 0x3F;

    private readonly Mode6Client _client;
    private readonly SntpClock _clock;
    private readonly Action<string> _diagnostics;
    private readonly LinkedList<MruRecord> _rows = new();
    private readonly Dictionary<IPAddress, LinkedListNode<MruRecord>> _byAddress = [];
    private int _updates;

    /// <param name="client">The server's mode 6 conversation.</param>
    /// <param name="clock">Monotonic time for the progress line.</param>
    /// <param name="diagnostics">Receives ntpq's stderr texts, newlines included.</param>
    public MruCollector(Mode6Client client, SntpClock clock, Action<string> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(diagnostics);
        _client = client;
        _clock = clock;
        _diagnostics = diagnostics;
    }

    /// <summary>Called with each answer's data before it is parsed (ntpq raw mode prints it).</summary>
    public Action<byte[]>? RawAnswer { get; set; }

    /// <summary>Fetches the list; <paramref name="parameters"/> is appended to every request (", mincount=2").</summary>
    public MruCollection Collect(string parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        string? nonce = FetchNonce();
        if (nonce is null)
        {
            return Failed();
        }

        int rowLimit = ServerRowLimit;
        int limit = Math.Min(3 * MaxFragments, rowLimit);
        int frags = MaxFragments;
        bool capFragments = true;
        int nonceUses = 1;
        int restarts = 0;
        int silentRequests = 0;
        int priorsSent = 0;
        NtpTimestamp now = default;
        long nextReport = _clock.ReadMonotonicNanoseconds() + ReportIntervalNanoseconds;
        string request = string.Create(CultureInfo.InvariantCulture, $"nonce={nonce}, frags={frags}{parameters}");
        while (true)
        {
            Mode6Result result = _client.Query(ControlOpcode.ReadMru, 0, Encoding.ASCII.GetBytes(request));
            bool answered = result.IsSuccess;
            silentRequests = result.Error is Mode6Error.Timeout or Mode6Error.Incomplete ? silentRequests + 1 : 0;
            if (result.Error == Mode6Error.ServerError && result.ServerError == ControlErrorCode.UnknownVariable)
            {
                if (priorsSent == 0)
                {
                    _diagnostics("CERR_UNKNOWNVAR from ntpd but no priors given.\n");
                    return Failed();
                }

                // None of the prior entries sent is unchanged on the server: forget them and back up.
                for (int i = 0; i < priorsSent && _rows.First is { } newest; i++)
                {
                    Remove(newest);
                }

                if (_rows.Count == 0 && ++restarts > MaxRestarts)
                {
                    _diagnostics("Giving up after 8 restarts from the beginning.\n"
                        + "With high-traffic NTP servers, this can occur if the\n"
                        + "MRU list is limited to less than about 16 seconds' of\n"
                        + "entries.  See the 'mru' ntp.conf directive to adjust.\n");
                    return Failed();
                }
            }
            else if (result.Error == Mode6Error.ServerError && result.ServerError == ControlErrorCode.BadValue)
            {
                if (capFragments)
                {
                    capFragments = false;
                }
                else
                {
                    rowLimit--;
                    limit = Math.Min(limit, rowLimit);
                }
            }
            else if (result.Error is Mode6Error.Timeout or Mode6Error.Incomplete)
            {
                if (silentRequests >= MaxSilentRequests)
                {
                    _diagnostics(result.Message(0) + "\n");
                    return Failed();
                }

                if (capFragments)
                {
                    frags = Math.Max(2, frags / 2);
                }
                else
                {
                    limit = Math.Max(2, limit / 2);
                }
            }
            else if (!answered)
            {
                _diagnostics(result.Message(0) + "\n");
                return Failed();
            }

            bool complete = false;
            if (answered)
            {
                RawAnswer?.Invoke(result.Data);
                AnswerVerdict verdict = Absorb(result.Data, priorsSent, ref nonce, ref nonceUses, ref now);
                if (verdict == AnswerVerdict.Broken)
                {
                    return Failed();
                }

                complete = verdict == AnswerVerdict.Complete;
            }

            if (complete)
            {
                _diagnostics(string.Create(CultureInfo.InvariantCulture, $"\rRetrieved {_rows.Count} unique MRU entries and {_updates} updates.\n"));
                return new MruCollection(true, [.. _rows], now, _updates);
            }

            if (_clock.ReadMonotonicNanoseconds() >= nextReport)
            {
                nextReport += ReportIntervalNanoseconds;
                _diagnostics(string.Create(CultureInfo.InvariantCulture, $"\r{_rows.Count} ({_updates} updates) "));
            }

            if (answered)
            {
                if (capFragments)
                {
                    frags = Math.Min(MaxFragments, frags + 1);
                }
                else
                {
                    limit = Math.Min(Math.Min(3 * MaxFragments, rowLimit), Math.Max(limit + 1, limit * 33 / 32));
                }
            }

            if (++nonceUses >= NonceReuseLimit)
            {
                nonce = FetchNonce();
                if (nonce is null)
                {
                    return Failed();
                }

                nonceUses = 0;
            }

            request = NextRequest(nonce, capFragments ? "frags" : "limit", capFragments ? frags : limit, parameters, out priorsSent);
        }
    }

    private enum AnswerVerdict
    {
        More,
        Complete,
        Broken,
    }

    private MruCollection Failed() => new(false, [.. _rows], default, _updates);

    /// <summary>REQ_NONCE; the nonce text, or null after printing why not.</summary>
    private string? FetchNonce()
    {
        Mode6Result result = _client.Query(ControlOpcode.RequestNonce, 0, []);
        if (!result.IsSuccess)
        {
            _diagnostics(result.Message(0) + "\n");
            _diagnostics("nonce request failed\n");
            return null;
        }

        string text = Encoding.ASCII.GetString(result.Data);
        if (text.Length <= "nonce=".Length || !text.StartsWith("nonce=", StringComparison.Ordinal))
        {
            _diagnostics($"unexpected nonce response format: {Display.TerminalText.FromWire(result.Data)}\n");
            return null;
        }

        return text["nonce=".Length..].TrimEnd('\r', '\n');
    }

    /// <summary>The next request: nonce, the size limit, the filters, then as many held entries (newest first) as fit.</summary>
    private string NextRequest(string nonce, string sizeName, int size, string parameters, out int priorsSent)
    {
        var text = new StringBuilder(ControlMessage.MaxDataLength);
        text.Append(CultureInfo.InvariantCulture, $"nonce={nonce}, {sizeName}={size}{parameters}");
        priorsSent = 0;
        for (LinkedListNode<MruRecord>? node = _rows.First; node is not null; node = node.Next)
        {
            NtpTimestamp last = node.Value.Last;
            string pair = string.Create(CultureInfo.InvariantCulture,
                $", addr.{priorsSent}={FormatAddress(node.Value.Address)}, last.{priorsSent}=0x{last.Seconds:x8}.{last.Fraction:x8}");
            if (text.Length + pair.Length >= ControlMessage.MaxDataLength)
            {
                break;
            }

            text.Append(pair);
            priorsSent++;
        }

        return text.ToString();
    }

    /// <summary>Takes one answer's rows into the list (ntpq's per-tag checks); Broken after printing why.</summary>
    private AnswerVerdict Absorb(byte[] data, int priorsSent, ref string nonce, ref int nonceUses, ref NtpTimestamp now)
    {
        var row = new RowBuilder();
        int index = 0;
        bool haveNow = false;
        bool complete = false;
        bool haveLastOlder = false;
        bool haveAddressOlder = false;
        NtpTimestamp lastOlder = default;
        var reader = new ControlVariableReader(data);
        while (reader.TryReadNext(out ControlVariable variable))
        {
            // Escaped (TerminalText): some of these reach the diagnostics as the server wrote them.
            string tag = Display.TerminalText.FromWire(variable.Name);
            string value = Display.TerminalText.FromWire(variable.Value);
            switch (tag)
            {
                case "nonce":
                    nonce = value;
                    nonceUses = 0;
                    continue;
                case "now":
                    if (TryParseHexTimestamp(value, out now))
                    {
                        haveNow = true;
                    }

                    continue;
                case "last.older":
                    if (!TryParseHexTimestamp(value, out lastOlder))
                    {
                        _diagnostics($"last.older {value} garbled\n");
                        return AnswerVerdict.Broken;
                    }

                    haveLastOlder = true;
                    continue;
                case "addr.older":
                    if (!CheckOlder(value, haveLastOlder, lastOlder))
                    {
                        return AnswerVerdict.Broken;
                    }

                    haveAddressOlder = true;
                    continue;
                case "last.newest":
                    if (row.Got != 0)
                    {
                        _diagnostics(string.Create(CultureInfo.InvariantCulture, $"last.newest {value} before complete row, got = 0x{row.Got:x}\n"));
                        return AnswerVerdict.Broken;
                    }

                    if (!haveNow)
                    {
                        _diagnostics($"last.newest {value} before now=\n");
                        return AnswerVerdict.Broken;
                    }

                    if (_rows.First is { } head && (!TryParseHexTimestamp(value, out NtpTimestamp newest) || newest != head.Value.Last))
                    {
                        _diagnostics($"last.newest {value} mismatches {head.Value.Last.ToHexString()}\n");
                        return AnswerVerdict.Broken;
                    }

                    complete = true;
                    continue;
                default:
                    break;
            }

            if (!row.TryTake(tag, value, index))
            {
                continue;
            }

            if (tag.StartsWith("last.", StringComparison.Ordinal))
            {
                // Until now= arrives, the newest row received marks the end of the fetch.
                now = row.Last;
            }

            if (row.Got == GotAll)
            {
                if (!Add(row.ToRecord()))
                {
                    return AnswerVerdict.Broken;
                }

                row = new RowBuilder();
                index++;
            }
        }

        if (priorsSent > 0 && (haveNow || complete) && !haveAddressOlder)
        {
            _diagnostics("addr.older missing from a continued answer\n");
            return AnswerVerdict.Broken;
        }

        return haveNow || complete ? AnswerVerdict.Complete : AnswerVerdict.More;
    }

    /// <summary>addr.older must name a row we hold whose last time equals last.older.</summary>
    private bool CheckOlder(string value, bool haveLastOlder, NtpTimestamp lastOlder)
    {
        if (!haveLastOlder)
        {
            _diagnostics($"addr.older {value} before last.older\n");
            return false;
        }

        if (!TryParseEndpoint(value, out IPEndPoint? older))
        {
            _diagnostics($"addr.older {value} garbled\n");
            return false;
        }

        if (!_byAddress.TryGetValue(older.Address, out LinkedListNode<MruRecord>? held) || held.Value.Address.Port != older.Port)
        {
            _diagnostics($"addr.older {value} not in hash table\n");
            return false;
        }

        if (held.Value.Last != lastOlder)
        {
            _diagnostics($"last.older {lastOlder.ToHexString()} mismatches {held.Value.Last.ToHexString()} expected.\n");
            return false;
        }

        return true;
    }

    /// <summary>Puts a row at the head, replacing an older row of the same address (ntpq add_mru).</summary>
    private bool Add(MruRecord record)
    {
        if (_byAddress.TryGetValue(record.Address.Address, out LinkedListNode<MruRecord>? previous))
        {
            if (record.First < previous.Value.First)
            {
                _diagnostics($"add_mru duplicate {FormatAddress(record.Address)} new first ts {record.First.ToHexString()} precedes prior {previous.Value.First.ToHexString()}\n");
                return false;
            }

            Remove(previous);
            _updates++;
        }

        _byAddress[record.Address.Address] = _rows.AddFirst(record);
        return true;
    }

    private void Remove(LinkedListNode<MruRecord> node)
    {
        _rows.Remove(node);
        _byAddress.Remove(node.Value.Address.Address);
    }

    /// <summary>"192.0.2.1:123" or "[2001:db8::1]:123", as ntpd's sptoa.</summary>
    public static string FormatAddress(IPEndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.ToString();
    }

    /// <summary>"0x" + up to 8 hex digits + "." + up to 8 hex digits (ntpq hextolfp).</summary>
    public static bool TryParseHexTimestamp(string text, out NtpTimestamp timestamp)
    {
        ArgumentNullException.ThrowIfNull(text);
        timestamp = default;
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (!text.StartsWith("0x", StringComparison.Ordinal) || dot < 3 || dot - 2 > 8 || text.Length - dot - 1 is < 1 or > 8
            || !uint.TryParse(text.AsSpan(2, dot - 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint seconds)
            || !uint.TryParse(text.AsSpan(dot + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint fraction))
        {
            return false;
        }

        timestamp = NtpTimestamp.FromParts(seconds, fraction);
        return true;
    }

    /// <summary>An address with optional port (123 when absent), IPv6 in brackets before a port (ntpq decodenetnum).</summary>
    public static bool TryParseEndpoint(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IPAddress.TryParse(text.Trim('[', ']'), out IPAddress? bare))
        {
            endpoint = new IPEndPoint(bare, 123);
            return true;
        }

        return IPEndPoint.TryParse(text, out endpoint);
    }

    /// <summary>Gathers the six fields of the row being received; tags for another index are not taken.</summary>
    private struct RowBuilder
    {
        public int Got;
        public NtpTimestamp Last;
        private IPEndPoint? _address;
        private NtpTimestamp _first;
        private int _count;
        private int _modeVersion;
        private ushort _restrictions;

        public bool TryTake(string tag, string value, int index)
        {
            int dot = tag.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || !int.TryParse(tag.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int tagIndex) || tagIndex != index)
            {
                return false;
            }

            switch (tag[..dot])
            {
                case "addr" when TryParseEndpoint(value, out IPEndPoint? address):
                    _address = address;
                    Got |= GotAddress;
                    return true;
                case "last" when TryParseHexTimestamp(value, out NtpTimestamp last):
                    Last = last;
                    Got |= GotLast;
                    return true;
                case "first" when TryParseHexTimestamp(value, out NtpTimestamp first):
                    _first = first;
                    Got |= GotFirst;
                    return true;
                case "ct" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int count) && count >= 1:
                    _count = count;
                    Got |= GotCount;
                    return true;
                case "mv" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int modeVersion):
                    _modeVersion = modeVersion;
                    Got |= GotModeVersion;
                    return true;
                case "rs" when value.StartsWith("0x", StringComparison.Ordinal)
                    && ushort.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort restrictions):
                    _restrictions = restrictions;
                    Got |= GotRestrictions;
                    return true;
                default:
                    return false;
            }
        }

        public readonly MruRecord ToRecord() =>
            new(_address!, Last, _first, _count, _modeVersion & 7, (_modeVersion >> 3) & 7, _restrictions);
    }
}

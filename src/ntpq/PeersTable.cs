// PeersTable: ntpq 4.2.8's `peers` spreadsheet (ntpq-subs.c dopeers/doprintpeers), byte for byte:
// the fixed header and 78 '=' characters, then per association "%c%-15.15s " (tally by selection
// code, remote: LOCAL(u) for a refclock unless -n, other addresses by reverse lookup unless -n),
// the refid column padded to 15 but never cut (".LOCL." for a 1–4 character refid, a space in it as
// '?' and a control character escaped, "\x1b" (TerminalText; ntpq 4.2.8 shows '?'); an address; "(loop)" when the flash variable has TEST12; blank
// when the refid is missing or undecodable), then " %2ld %c %4.4s %4.4s  %3lo  %7.7s %8.7s %7.7s":
// stratum, type from hmode, when and poll (prettyinterval), reach in octal, delay/offset/jitter
// in ms by lfptoms(…, 3) cut to their first 7 characters (jitter, else dispersion). With -w a
// remote name longer than 15 characters is printed whole, and the rest of the row continues on
// the next line after 17 spaces. opeers shows the local address (trunc_left to 15) and the
// dispersion; apeers the refid (addresses in hex) padded to 9 and the association id.
// Limits: single host only (ntpq's "server" column for several hosts is not printed); the
// `srchost` variable (ntpd's configured host name) is not used; `drefid hash` shows address refids in hex,
// as apeers does.
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Core.Mode6;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpq;

/// <summary>The three spreadsheets: peers (refid), opeers (local address, dispersion), apeers (assid).</summary>
internal enum PeersVariant
{
    Peers,
    OldPeers,
    AssociationPeers,
}

/// <summary>Formats the `peers` header and lines.</summary>
internal sealed class PeersTable(bool numericHosts, Func<IPAddress, string?>? reverseLookup, PeersVariant variant = PeersVariant.Peers,
    bool wide = false, bool hashRefids = false)
{
    public const string Header =
        "     remote           refid      st t when poll reach   delay   offset  jitter\n"
        + "==============================================================================\n";

    public const string OldHeader =
        "     remote           local      st t when poll reach   delay   offset    disp\n"
        + "==============================================================================\n";

    public const string AssociationHeader =
        "     remote       refid   assid  st t when poll reach   delay   offset  jitter\n"
        + "==============================================================================\n";

    public string HeaderText => variant switch
    {
        PeersVariant.OldPeers => OldHeader,
        PeersVariant.AssociationPeers => AssociationHeader,
        _ => Header,
    };

    /// <summary>One line (ntpq doprintpeers) for association <paramref name="associationId"/>, from its
    /// READVAR variables and peer status word; <paramref name="now"/> is the ntpq host's clock.</summary>
    public string Line(ushort associationId, ushort peerStatus, VariableList variables, NtpTimestamp now)
    {
        IPAddress? source = NtpqValues.ParseAddress(variables["srcadr"] ?? string.Empty);
        string remote = RemoteName(source);
        ulong stratum = UnsignedOf(variables["stratum"]);
        long hpoll = PollOf(variables["hpoll"]);
        long ppoll = PollOf(variables["ppoll"]);
        ulong reach = UnsignedOf(variables["reach"]);
        long hostMode = variables["hmode"] is string mode && NtpqValues.TryParseSigned(mode, out long parsedMode) ? parsedMode : 0;
        char type = TypeOf(hostMode, source, variables["dstadr"]);
        long when = When(now, variables["rec"], variables["reftime"]);
        long pollSeconds = 1L << (int)Math.Clamp(Math.Min(ppoll, hpoll), 0, 62);
        string delay = Milliseconds(variables["delay"]);
        string offset = Milliseconds(variables["offset"]);
        string jitter = variant != PeersVariant.OldPeers && variables["jitter"] is string j && NtpqValues.TryParseMilliseconds(j, out _)
            ? Milliseconds(j)
            : Milliseconds(variables["dispersion"] ?? variables["rootdisp"]);
        char tally = StatusText.TallyCharacters[(int)PeerStatusWord.Decode(peerStatus).Selection];
        bool loop = (UnsignedOf(variables["flash"]) & TestLoop) != 0;

        var line = new StringBuilder();
        line.Append(tally);
        if (wide && remote.Length > 15)
        {
            // ntpq -w: the whole name, then the row goes on below, under the refid column.
            line.Append(remote).Append('\n').Append(' ', 1 + 15 + 1);
        }
        else
        {
            line.Append(NtpqValues.Fit(remote, 15, 15, leftAlign: true)).Append(' ');
        }

        string middle = variant switch
        {
            PeersVariant.OldPeers => variables["dstadr"] is string d && NtpqValues.ParseAddress(d) is IPAddress local
                ? TruncateLeft(local.ToString(), 15)
                : string.Empty,
            _ when loop => "(loop)",
            _ => RefidText(variables.RawValue("refid"), hex: variant == PeersVariant.AssociationPeers || hashRefids),
        };
        if (variant == PeersVariant.AssociationPeers)
        {
            line.Append(middle.PadRight(9)).Append(associationId.ToString(CultureInfo.InvariantCulture).PadRight(6));
        }
        else
        {
            line.Append(middle.PadRight(15));
        }

        line.Append(' ')
            .Append(stratum.ToString(CultureInfo.InvariantCulture).PadLeft(2)).Append(' ')
            .Append(type).Append(' ')
            .Append(NtpqValues.Fit(NtpqValues.PrettyInterval(when), 4, 4, leftAlign: false)).Append(' ')
            .Append(NtpqValues.Fit(NtpqValues.PrettyInterval(pollSeconds), 4, 4, leftAlign: false)).Append("  ")
            .Append(Convert.ToString((long)reach, 8).PadLeft(3)).Append("  ")
            .Append(NtpqValues.Fit(delay, 7, 7, leftAlign: false)).Append(' ')
            .Append(NtpqValues.Fit(offset, 8, 7, leftAlign: false)).Append(' ')
            .Append(NtpqValues.Fit(jitter, 7, 7, leftAlign: false)).Append('\n');
        return line.ToString();
    }

    /// <summary>TEST12 (peer_loop) of the flash variable: ntpq shows "(loop)" for the refid.</summary>
    private const ulong TestLoop = 0x0800;

    /// <summary>trunc_left: keep the last characters, marking the cut with '_'.</summary>
    private static string TruncateLeft(string text, int width) => text.Length <= width ? text : "_" + text[^(width - 1)..];

    private string RemoteName(IPAddress? source)
    {
        if (source is null)
        {
            return "0.0.0.0";
        }

        if (numericHosts)
        {
            return source.ToString();
        }

        if (NtpqValues.IsRefclockAddress(source))
        {
            return NtpqValues.RefclockName(source);
        }

        return reverseLookup?.Invoke(source) is string name ? Stratum.Client.Display.TerminalText.Escape(name) : source.ToString();
    }

    /// <summary>The refid column from the value as sent: "" when missing or undecodable, ".XXXX." for 1–4
    /// characters (refid_str: a space as '?'; deviation: a control character escaped as "\x1b", as
    /// everywhere in ntpq, where ntpq 4.2.8 shows '?'), "0.0.0.0", a refclock's name, else the address
    /// (apeers: the 32 bits in hex, "%0x").</summary>
    private static string RefidText(string? value, bool hex)
    {
        if (value is null || value.Length == 0)
        {
            return string.Empty;
        }

        if (value.Length <= 4)
        {
            var text = new StringBuilder(".");
            foreach (char c in value)
            {
                if (Stratum.Client.Display.TerminalText.IsControl(c) || c > '\x9f')
                {
                    text.Append(Stratum.Client.Display.TerminalText.FromWire([(byte)c]));
                }
                else
                {
                    text.Append(c == ' ' ? '?' : c);
                }
            }

            return text.Append('.').ToString();
        }

        IPAddress? address = NtpqValues.ParseAddress(value);
        if (address is null)
        {
            return string.Empty;
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "0.0.0.0";
        }

        if (NtpqValues.IsRefclockAddress(address))
        {
            return NtpqValues.RefclockName(address);
        }

        if (hex && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            byte[] b = address.GetAddressBytes();
            uint bits = (uint)((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]);
            return bits.ToString("x", CultureInfo.InvariantCulture);
        }

        return address.ToString();
    }

    /// <summary>An unsigned variable, 0 when missing or undecodable (ntpq leaves it zeroed).</summary>
    private static ulong UnsignedOf(string? value) =>
        value is not null && NtpqValues.TryParseUnsigned(value, out ulong parsed) ? parsed : 0;

    /// <summary>hpoll/ppoll: a negative value counts as NTP_MINPOLL (ntpq-subs.c).</summary>
    private static long PollOf(string? value) =>
        value is not null && NtpqValues.TryParseSigned(value, out long poll) ? (poll < 0 ? 3 : poll) : 0;

    /// <summary>The t column: from hmode, else from the destination address class.</summary>
    private static char TypeOf(long hostMode, IPAddress? source, string? destination)
    {
        switch (hostMode)
        {
            case 6: return 'b';
            case 5: return source is not null && IsMulticast(source) ? 'M' : 'B';
            case 3:
                if (source is null || source.Equals(IPAddress.Any) || source.Equals(IPAddress.IPv6Any))
                {
                    return 'p';
                }

                return NtpqValues.IsRefclockAddress(source) ? 'l' : IsMulticast(source) ? 'a' : 'u';
            case 1: return 's';
            case 2: return 'S';
            default: break;
        }

        IPAddress? local = destination is null ? null : NtpqValues.ParseAddress(destination);
        if (local is null)
        {
            return '?';
        }

        if (local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return IsMulticast(local) ? 'm' : 'u';
        }

        byte[] b = local.GetAddressBytes();
        uint value = (uint)((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]);
        return (value & 0xf0000000) == 0xe0000000 ? 'm'
            : (value & 0xff) == 0xff ? 'b'
            : value == 0x7f000001 ? 'l'
            : (value & 0xffffffe0) == 0 ? '-'
            : 'u';
    }

    private static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.IsIPv6Multicast
            : (address.GetAddressBytes()[0] & 0xf0) == 0xe0;

    /// <summary>when(): seconds since rec, else reftime, else 0.</summary>
    private static long When(NtpTimestamp now, string? received, string? referenceTime)
    {
        NtpTimestamp last = default;
        if (received is not null && NtpqValues.TryParseTimestamp(received, out NtpTimestamp rec) && rec.Seconds != 0)
        {
            last = rec;
        }
        else if (referenceTime is not null && NtpqValues.TryParseTimestamp(referenceTime, out NtpTimestamp reftime) && reftime.Seconds != 0)
        {
            last = reftime;
        }

        // ntpq's when(): -1 (shown "-") for a time after now; u_int32 seconds otherwise.
        return last.Seconds == 0 ? 0 : now.Seconds < last.Seconds ? -1 : (long)(now.Seconds - last.Seconds);
    }

    private static string Milliseconds(string? value) =>
        value is not null && NtpqValues.TryParseMilliseconds(value, out double ms) ? NtpqValues.Milliseconds3(ms) : "0.000";
}

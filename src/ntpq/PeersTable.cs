// PeersTable: ntpq 4.2.8's `peers` spreadsheet (ntpq-subs.c dopeers/doprintpeers), byte for byte:
// the fixed header and 78 '=' characters, then per association
// "%c%-15.15s %-15.15s %2ld %c %4.4s %4.4s  %3lo  %7.7s %8.7s %7.7s": tally (flash3 by selection
// code), remote (LOCAL(u) for a refclock unless -n; other addresses by reverse lookup unless -n),
// refid (".LOCL." for a 1–4 character refid, else an address), stratum, type from hmode, when,
// poll, reach in octal, delay/offset/jitter in ms with 3 decimals (jitter, else dispersion).
// Limits: single host only (ntpq's "server" column for several hosts is not printed); -w wide
// mode prints the same as narrow.
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
internal sealed class PeersTable(bool numericHosts, Func<IPAddress, string?>? reverseLookup, PeersVariant variant = PeersVariant.Peers)
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

    /// <summary>One line (ntpq doprintpeers) for association <paramref name="associationId"/>.</summary>
    public string Line(ushort associationId, ushort peerStatus, VariableList variables, NtpTimestamp now)
    {
        string line = Line(peerStatus, variables, now);
        if (variant == PeersVariant.Peers)
        {
            return line;
        }

        string refidOrLocal = variant == PeersVariant.OldPeers
            ? TruncateLeft(variables["dstadr"] is string d && NtpqValues.ParseAddress(d) is IPAddress local ? local.ToString() : "0.0.0.0", 15).PadRight(15)
            : Cut(RefidText(variables["refid"]), 9).PadRight(9) + associationId.ToString(CultureInfo.InvariantCulture).PadRight(6);
        string rest = line[32..];
        if (variant == PeersVariant.OldPeers)
        {
            string dispersion = Milliseconds(variables["dispersion"] ?? variables["rootdisp"]);
            rest = rest[..^8] + NtpqValues.Fit(dispersion, 7, 7, leftAlign: false) + "\n";
        }

        return line[..17] + refidOrLocal + rest;
    }

    /// <summary>trunc_left: keep the last characters, marking the cut with '_'.</summary>
    private static string TruncateLeft(string text, int width) => text.Length <= width ? text : "_" + text[^(width - 1)..];

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..width];

    /// <summary>One line for an association, from its READVAR variables and peer status word.</summary>
    public string Line(ushort peerStatus, VariableList variables, NtpTimestamp now)
    {
        IPAddress? source = NtpqValues.ParseAddress(variables["srcadr"] ?? string.Empty);
        string remote = RemoteName(source);
        string refid = RefidText(variables["refid"]);
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
        string jitter = variables["jitter"] is string j && NtpqValues.TryParseMilliseconds(j, out _) ? Milliseconds(j) : Milliseconds(variables["dispersion"]);
        char tally = StatusText.TallyCharacters[(int)PeerStatusWord.Decode(peerStatus).Selection];

        var line = new StringBuilder();
        line.Append(tally)
            .Append(NtpqValues.Fit(remote, 15, 15, leftAlign: true)).Append(' ')
            .Append(NtpqValues.Fit(refid, 15, 15, leftAlign: true)).Append(' ')
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

        return reverseLookup?.Invoke(source) ?? source.ToString();
    }

    private static string RefidText(string? value)
    {
        if (value is null)
        {
            return "0.0.0.0";
        }

        if (value.Length == 0)
        {
            return string.Empty;
        }

        if (value.Length <= 4)
        {
            return "." + value + ".";
        }

        IPAddress? address = NtpqValues.ParseAddress(value);
        if (address is null)
        {
            return "0.0.0.0";
        }

        return NtpqValues.IsRefclockAddress(address) ? NtpqValues.RefclockName(address) : address.ToString();
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

        return last.Seconds == 0 ? 0 : (long)(int)(now.Seconds - last.Seconds);
    }

    private static string Milliseconds(string? value) =>
        value is not null && NtpqValues.TryParseMilliseconds(value, out double ms) ? NtpqValues.Milliseconds3(ms) : "0.000";
}

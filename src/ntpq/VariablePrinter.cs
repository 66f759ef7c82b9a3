// VariablePrinter: prints a variable list as ntpq 4.2.8's `readvar` does (ntpq.c printvars,
// cookedprint, output): "associd=0 status=0615 leap_none, sync_ntp, 1 event, clock_sync," on the
// first line, then name=value items joined by ", " and wrapped before a line would pass 72
// characters (MAXOUTLINE). Cooked values: timestamps through prettydate, leap as two binary
// digits, reach in octal, flash in hex with its test names, refid and addresses decoded; anything
// else is printed as sent.
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpq;

/// <summary>Which status word a variable list comes with.</summary>
internal enum VariableKind
{
    System,
    Peer,
    Clock,
}

/// <summary>ntpq's cooked variable output.</summary>
internal sealed class VariablePrinter(bool numericHosts, long nowUnixNanoseconds, TimeZoneInfo zone)
{
    private const int MaxOutputLine = 72;

    public string Print(ushort associationId, ushort status, VariableKind kind, VariableList variables, bool quiet = false)
    {
        var text = new StringBuilder();
        if (!quiet)
        {
            string decoded = kind switch
            {
                VariableKind.System => StatusText.System(status),
                VariableKind.Clock => StatusText.Clock(status),
                _ => StatusText.Peer(status),
            };
            text.Append(CultureInfo.InvariantCulture, $"associd={associationId} status={status:x4} ").Append(decoded).Append(",\n");
        }

        int lineLength = 0;
        bool any = false;
        foreach (KeyValuePair<string, string> item in variables.Items)
        {
            string value = Cook(item.Key, item.Value);
            int length = item.Key.Length + 1 + value.Length;
            if (any)
            {
                if (lineLength + length + 2 > MaxOutputLine)
                {
                    text.Append(",\n");
                    lineLength = 0;
                }
                else
                {
                    text.Append(", ");
                    lineLength += 2;
                }
            }

            text.Append(item.Key).Append('=').Append(value);
            lineLength += length;
            any = true;
        }

        if (any)
        {
            text.Append('\n');
        }

        return text.ToString();
    }

    private string Cook(string name, string value)
    {
        switch (name)
        {
            case "reftime" or "clock" or "rec" or "org" or "xmt" or "dst":
                return NtpqValues.TryParseTimestamp(value, out NtpTimestamp timestamp)
                    ? NtpqValues.PrettyDate(timestamp, nowUnixNanoseconds, zone)
                    : value + "?";
            case "leap":
                return NtpqValues.TryParseUnsigned(value, out ulong leap) && leap <= 3
                    ? ((leap >> 1) & 1).ToString(CultureInfo.InvariantCulture) + (leap & 1).ToString(CultureInfo.InvariantCulture)
                    : value + "?";
            case "reach":
                return NtpqValues.TryParseUnsigned(value, out ulong reach)
                    ? Convert.ToString((long)reach, 8).PadLeft(3, '0')
                    : value + "?";
            case "flash":
                return NtpqValues.TryParseUnsigned(value, out ulong flash) ? StatusText.Flash(flash) : value + "?";
            case "refid":
                {
                    IPAddress? address = value.Length > 4 ? NtpqValues.ParseAddress(value) : null;
                    if (address is null)
                    {
                        return value;
                    }

                    return NtpqValues.IsRefclockAddress(address) ? NtpqValues.RefclockName(address) : address.ToString();
                }
            case "srcadr" or "peeradr":
                {
                    IPAddress? address = NtpqValues.ParseAddress(value);
                    return address is not null && !numericHosts && NtpqValues.IsRefclockAddress(address)
                        ? NtpqValues.RefclockName(address)
                        : value;
                }
            default:
                return value;
        }
    }
}

// NtpdateReport: ntpdate 4.2.8's print_server(). With -q, one line per server that answered:
//   server 127.0.0.20, stratum 11, offset +0.000012, delay 0.02600
// (offset as lfptoa with 6 decimals, delay as fptoa with 5). With -d, a block per server with the
// header fields, the timestamps (prettydate form, local time), both filter registers and the result.
// Servers that never answered (stratum 0) print nothing, as in ntpdate; nor does a server that sent
// a RATE kiss (ntpdate stops before recording anything from it), while other kiss codes print as
// stratum 16.
using System.Globalization;
using System.Net;
using Stratum.Client.Display;
using Stratum.Client.Sntp;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Tools.Ntpdate;

/// <summary>Formats ntpdate's per-server results.</summary>
internal static class NtpdateReport
{
    private static readonly string[] s_days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>An address as libntp's stoa() prints it (no port, IPv6 without brackets).</summary>
    public static string AddressText(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();

    /// <summary>The -q line for one server, or null when it never answered.</summary>
    public static string? SummaryLine(SntpServerState server, FilterResult filter)
    {
        if (!AnsweredUsefully(server))
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"server {AddressText(server.Endpoint.Address)}, stratum {server.Stratum}, offset {FixedPointText.SignedSeconds(filter.Offset, 6)}, delay {FixedPointText.ShortSigned(filter.Delay, 5)}");
    }

    /// <summary>The -d block for one server (ends with a blank line), or nothing when it never answered.</summary>
    public static void WriteDebugBlock(TextWriter writer, SntpServerState server, FilterResult filter, int sampleCount, TimeZoneInfo timeZone, long pivotUnixNanoseconds)
    {
        if (!AnsweredUsefully(server))
        {
            return;
        }

        var reply = server.LastReply.GetValueOrDefault();
        var inv = CultureInfo.InvariantCulture;
        writer.WriteLine($"server {AddressText(server.Endpoint.Address)}, port {server.Endpoint.Port.ToString(inv)}");
        int leap = (int)reply.Leap;
        writer.WriteLine(string.Create(inv, $"stratum {server.Stratum}, precision {reply.Precision}, leap {(leap >> 1) & 1}{leap & 1}, trust 000"));
        writer.WriteLine($"refid [{ReferenceIdText(reply.ReferenceId, server.Stratum)}], root delay {FixedPointText.ShortSigned(unchecked((int)reply.RootDelay.Raw), 6)}, root dispersion {FixedPointText.ShortUnsigned(reply.RootDispersion.Raw, 6)}");
        if (server.TransmitCount != server.Samples.Count)
        {
            writer.WriteLine(string.Create(inv, $"transmitted {server.TransmitCount}, in filter {server.Samples.Count}"));
        }

        writer.WriteLine($"reference time:      {PrettyDate(reply.ReferenceTime, timeZone, pivotUnixNanoseconds)}");
        writer.WriteLine($"originate timestamp: {PrettyDate(reply.TransmitTime, timeZone, pivotUnixNanoseconds)}");
        writer.WriteLine($"transmit timestamp:  {PrettyDate(server.LastTransmitTime, timeZone, pivotUnixNanoseconds)}");
        if (sampleCount > 1)
        {
            WriteRegister(writer, "filter delay: ", sampleCount, i => FixedPointText.ShortSigned(SampleAt(server, i)?.Delay ?? NtpDuration.Zero, 5));
            WriteRegister(writer, "filter offset:", sampleCount, i => FixedPointText.SignedSeconds(SampleAt(server, i)?.Offset ?? NtpDuration.Zero, 6));
        }

        uint dispersion = (uint)Math.Min(filter.Dispersion * 65536.0, uint.MaxValue);
        writer.Write($"delay {FixedPointText.ShortSigned(filter.Delay, 5)}, dispersion {FixedPointText.ShortUnsigned(dispersion, 5)}, ");
        writer.WriteLine($"offset {FixedPointText.SignedSeconds(filter.Offset, 6)}");
        writer.WriteLine();
    }

    /// <summary>libntp prettydate(): "e7a1b2c3.12345678  Thu, Nov 23 2023  7:40:00.123" in local time.</summary>
    public static string PrettyDate(NtpTimestamp timestamp, TimeZoneInfo timeZone, long pivotUnixNanoseconds)
    {
        long unixNanoseconds = timestamp.ToUnixNanoseconds(pivotUnixNanoseconds);
        var utc = DateTimeOffset.UnixEpoch.AddTicks(unixNanoseconds / 100);
        DateTime local = TimeZoneInfo.ConvertTime(utc, timeZone).DateTime;
        uint milliseconds = Math.Min(timestamp.Fraction / 4294967u, 999u);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{timestamp.Seconds:x8}.{timestamp.Fraction:x8}  {s_days[(int)local.DayOfWeek]}, {s_months[local.Month - 1]} {local.Day,2} {local.Year,4} {local.Hour,2}:{local.Minute:D2}:{local.Second:D2}.{milliseconds:D3}");
    }

    /// <summary>ntpdate's refid text: four characters for stratum 0, 1 and 16, else a dotted quad.</summary>
    private static string ReferenceIdText(ReferenceId referenceId, byte stratum)
    {
        if (stratum is > 1 and < 16)
        {
            return referenceId.ToDottedQuad();
        }

        Span<char> text = stackalloc char[4];
        int length = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            byte b = (byte)(referenceId.Value >> shift);
            if (b == 0)
            {
                break;
            }

            text[length++] = b is >= 0x20 and <= 0x7e ? (char)b : '.';
        }

        return new string(text[..length]);
    }

    private static bool AnsweredUsefully(SntpServerState server) => server.Stratum != 0 && server.Kiss != KissCode.Rate;

    private static FilterSample? SampleAt(SntpServerState server, int index) =>
        index < server.Samples.Count ? server.Samples[index] : null;

    /// <summary>Eight columns of 10 characters, four per line, "----" past the sample count.</summary>
    private static void WriteRegister(TextWriter writer, string title, int sampleCount, Func<int, string> value)
    {
        writer.Write(title);
        for (int i = 0; i < SampleFilter.MaxSamples; i++)
        {
            if (i == SampleFilter.MaxSamples / 2)
            {
                writer.WriteLine();
                writer.Write("              ");
            }

            string text = i < sampleCount ? value(i) : "----";
            writer.Write(' ');
            writer.Write(text.Length > 10 ? text[..10] : text.PadRight(10));
        }

        writer.WriteLine();
    }
}

// LeapSecondsParser: reads the leap-seconds.list file that IERS and NIST publish (ntpd 4.2.8
// "leapfile"; the format is defined in the file's own header comments):
//
//     #$   3960835200                  last update, NTP seconds since 1900-01-01 UTC
//     #@   3991593600                  expiry
//     2272060800   10   # 1 Jan 1972   from this instant on TAI-UTC is 10 s
//     ...
//     #h   49db2447 571e5e1b 2f002a53 9c8da8e4 39b8e49e
//
// "#h" is the SHA-1 of the data fields: the digits of the "#$" and "#@" values and of both numbers
// of every data line, in file order, with white space and comments left out. Other lines starting
// with '#' are comments. Each data line after the first changes TAI-UTC by exactly one second.
// Problems are diagnostics with file, line and column ("leap-seconds.list:3:1: error: ..."), never
// exceptions. ntpd's rules: a hash mismatch or a malformed line rejects the file; a missing hash
// or an expired list is logged and the file still used, so both are warnings here.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Time;

namespace Stratum.Core.Leap;

/// <summary>Parses leap-seconds.list text into a <see cref="LeapSecondTable"/> and diagnostics.</summary>
public static class LeapSecondsParser
{
    /// <summary>Most digits of a time (10: up to year 2216).</summary>
    private const int MaxTimeDigits = 10;

    /// <summary>Most digits of TAI-UTC.</summary>
    private const int MaxOffsetDigits = 4;

    private const int HashWords = 5;

    private const int HashWordMaxDigits = 8;

    /// <summary>Parses <paramref name="text"/>; <paramref name="now"/> (NTP seconds) decides whether the list has expired.</summary>
    public static LeapSecondsParseResult Parse(string text, string fileName, long now)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var state = new ParseState(fileName);
        var lines = new TextLineReader(text);
        while (lines.TryReadLine(out ReadOnlySpan<char> line, out int lineNumber))
        {
            ParseLine(state, line, lineNumber);
        }

        return Finish(state, now);
    }

    /// <summary>Parses with <paramref name="now"/> as an NTP timestamp (RFC 4330 era rule).</summary>
    public static LeapSecondsParseResult Parse(string text, string fileName, NtpTimestamp now) =>
        Parse(text, fileName, LeapSecondTable.ToSecondsSince1900(now));

    private static void ParseLine(ParseState state, ReadOnlySpan<char> line, int lineNumber)
    {
        if (line.StartsWith("#$"))
        {
            ParseTimeLine(state, line, lineNumber, "#$", ref state.LastUpdate);
        }
        else if (line.StartsWith("#@"))
        {
            ParseTimeLine(state, line, lineNumber, "#@", ref state.Expiry);
        }
        else if (line.StartsWith("#h"))
        {
            ParseHashLine(state, line, lineNumber);
        }
        else if (!line.StartsWith("#") && !IsBlank(line))
        {
            ParseDataLine(state, line, lineNumber);
        }
    }

    /// <summary>"#$ N" or "#@ N": one number, digested for the hash.</summary>
    private static void ParseTimeLine(ParseState state, ReadOnlySpan<char> line, int lineNumber, string marker, ref Stamp stamp)
    {
        if (stamp.Line != 0)
        {
            state.Error(lineNumber, 1, $"second '{marker}' line; the first is at {state.FileName}:{stamp.Line}");
            return;
        }

        int position = SkipBlanks(line, marker.Length);
        int end = SkipDigits(line, position);
        if (end == position || end - position > MaxTimeDigits || !IsBlank(line[end..]))
        {
            string what = marker == "#$" ? "the last update time" : "the expiry time";
            state.Error(lineNumber, position + 1, $"'{marker}' needs {what} in NTP seconds, not {Quote(line[position..])}");
            return;
        }

        stamp = new Stamp(long.Parse(line[position..end], NumberStyles.None, CultureInfo.InvariantCulture), lineNumber);
        state.HashInput.Append(line[position..end]);
    }

    /// <summary>"#h" and five groups of up to 8 hex digits (leading zeros may be missing).</summary>
    private static void ParseHashLine(ParseState state, ReadOnlySpan<char> line, int lineNumber)
    {
        if (state.HashLine != 0)
        {
            state.Error(lineNumber, 1, $"second '#h' line; the first is at {state.FileName}:{state.HashLine}");
            return;
        }

        state.HashLine = lineNumber;
        byte[] hash = new byte[HashWords * 4];
        int position = 2;
        for (int word = 0; word < HashWords; word++)
        {
            position = SkipBlanks(line, position);
            int end = position;
            while (end < line.Length && char.IsAsciiHexDigit(line[end]))
            {
                end++;
            }

            if (end == position || end - position > HashWordMaxDigits)
            {
                state.Error(lineNumber, position + 1, $"'#h' needs {HashWords} groups of up to {HashWordMaxDigits} hex digits, not {Quote(line[2..])}");
                return;
            }

            uint value = uint.Parse(line[position..end], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(word * 4), value);
            position = end;
        }

        int extra = SkipBlanks(line, position);
        if (extra < line.Length)
        {
            state.Error(lineNumber, extra + 1, $"unexpected {Quote(line[extra..])} after the '#h' hash");
            return;
        }

        state.StatedHash = hash;
    }

    /// <summary>"NTP-seconds TAI-UTC [# comment]".</summary>
    private static void ParseDataLine(ParseState state, ReadOnlySpan<char> line, int lineNumber)
    {
        int timeStart = SkipBlanks(line, 0);
        int timeEnd = SkipDigits(line, timeStart);
        int offsetStart = SkipBlanks(line, timeEnd);
        int offsetEnd = offsetStart < line.Length && line[offsetStart] == '-' ? offsetStart + 1 : offsetStart;
        int offsetDigitsStart = offsetEnd;
        offsetEnd = SkipDigits(line, offsetEnd);
        int rest = SkipBlanks(line, offsetEnd);
        bool wellFormed = timeEnd > timeStart && timeEnd - timeStart <= MaxTimeDigits
            && offsetStart > timeEnd
            && offsetEnd > offsetDigitsStart && offsetEnd - offsetDigitsStart <= MaxOffsetDigits
            && (rest == line.Length || line[rest] == '#');
        if (!wellFormed)
        {
            state.Error(lineNumber, timeStart + 1, $"expected 'NTP-seconds TAI-UTC [# comment]', not {Quote(line[timeStart..])}");
            return;
        }

        long time = long.Parse(line[timeStart..timeEnd], NumberStyles.None, CultureInfo.InvariantCulture);
        int offset = int.Parse(line[offsetStart..offsetEnd], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        state.HashInput.Append(line[timeStart..timeEnd]).Append(line[offsetStart..offsetEnd]);
        if (state.Entries.Count > 0)
        {
            LeapSecondEntry previous = state.Entries[^1];
            if (time <= previous.SecondsSince1900)
            {
                state.Error(lineNumber, timeStart + 1, $"time {time} is not after {previous.SecondsSince1900} at {state.FileName}:{previous.Line}");
                return;
            }

            if (Math.Abs(offset - previous.TaiOffset) != 1)
            {
                state.Error(lineNumber, offsetStart + 1, $"TAI-UTC goes from {previous.TaiOffset} to {offset}; a leap second changes it by 1");
                return;
            }
        }

        state.Entries.Add(new LeapSecondEntry(time, offset, lineNumber));
    }

    private static LeapSecondsParseResult Finish(ParseState state, long now)
    {
        if (state.LastUpdate.Line == 0)
        {
            state.Error(0, 0, "no '#$' line with the last update time");
        }

        if (state.Expiry.Line == 0)
        {
            state.Error(0, 0, "no '#@' line with the expiry time");
        }

        if (state.Entries.Count == 0)
        {
            state.Error(0, 0, "no leap second entries");
        }

        bool hashVerified = false;
        if (state.StatedHash is null)
        {
            if (state.HashLine == 0)
            {
                state.Warning(0, 0, "no '#h' hash line: the file's integrity cannot be checked (it may be truncated)");
            }
        }
        else
        {
            byte[] computed = ComputeHash(state.HashInput);
            hashVerified = CryptographicOperations.FixedTimeEquals(computed, state.StatedHash);
            if (!hashVerified)
            {
                state.Error(state.HashLine, 1, $"hash mismatch: the '#h' line says {FormatHash(state.StatedHash)} but the data hashes to {FormatHash(computed)}; the file is damaged or was edited");
            }
        }

        if (state.Expiry.Line != 0 && now >= state.Expiry.Value)
        {
            state.Warning(state.Expiry.Line, 1, $"the leap second list expired on {FormatDate(state.Expiry.Value)}; leap seconds announced since are unknown");
        }

        LeapSecondTable? table = state.LastUpdate.Line != 0 && state.Expiry.Line != 0 && state.Entries.Count > 0
            ? new LeapSecondTable(state.LastUpdate.Value, state.Expiry.Value, state.Entries, hashVerified)
            : null;
        return new LeapSecondsParseResult(table, state.Diagnostics);
    }

    // SHA-1 is what the file format defines for "#h"; it guards against damage, not forgery.
#pragma warning disable CA5350 // Do Not Use Weak Cryptographic Algorithms: the format fixes SHA-1.
    private static byte[] ComputeHash(StringBuilder digits) => SHA1.HashData(Encoding.ASCII.GetBytes(digits.ToString()));
#pragma warning restore CA5350

    private static string FormatHash(byte[] hash)
    {
        var text = new StringBuilder(HashWords * 9);
        for (int word = 0; word < HashWords; word++)
        {
            if (word > 0)
            {
                text.Append(' ');
            }

            text.Append(Convert.ToHexStringLower(hash, word * 4, 4));
        }

        return text.ToString();
    }

    /// <summary>yyyy-MM-dd of NTP seconds (at most 10 digits, so within DateTimeOffset's range).</summary>
    private static string FormatDate(long secondsSince1900) =>
        DateTimeOffset.UnixEpoch.AddSeconds(secondsSince1900 - NtpTimestamp.UnixEpochInNtpSeconds)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Quote(ReadOnlySpan<char> text) => DiagnosticText.Quote(text.TrimEnd(" \t").ToString());

    private static bool IsBlank(ReadOnlySpan<char> text) => text.TrimStart(" \t").IsEmpty;

    private static int SkipBlanks(ReadOnlySpan<char> line, int position)
    {
        while (position < line.Length && line[position] is ' ' or '\t')
        {
            position++;
        }

        return position;
    }

    private static int SkipDigits(ReadOnlySpan<char> line, int position)
    {
        while (position < line.Length && char.IsAsciiDigit(line[position]))
        {
            position++;
        }

        return position;
    }

    /// <summary>A "#$" or "#@" value and its line (0: not seen).</summary>
    private readonly record struct Stamp(long Value, int Line);

    /// <summary>What the lines have given so far.</summary>
    private sealed class ParseState(string fileName)
    {
        public string FileName { get; } = fileName;

        public List<ConfigDiagnostic> Diagnostics { get; } = [];

        public List<LeapSecondEntry> Entries { get; } = [];

        public StringBuilder HashInput { get; } = new();

        public Stamp LastUpdate;

        public Stamp Expiry;

        public int HashLine { get; set; }

        public byte[]? StatedHash { get; set; }

        public void Error(int line, int column, string message) =>
            Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, FileName, line, column, message));

        public void Warning(int line, int column, string message) =>
            Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, FileName, line, column, message));
    }
}

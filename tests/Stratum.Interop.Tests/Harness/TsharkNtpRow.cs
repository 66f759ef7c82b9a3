// One frame of a capture as tshark (Wireshark 4.0) decodes it with
//   tshark -r FILE -T fields -E separator=/t -E occurrence=a -e frame.number -e ip.src -e ip.dst
//     -e ntp.flags.li -e ntp.flags.vn -e ntp.flags.mode -e ntp.stratum -e ntp.refid
//     -e _ws.malformed -e _ws.expert.severity
// Wireshark's NTP dissector is an implementation that shares no code with ours, so "not malformed,
// no expert warning" is an independent check of our packets. Expert severities are Wireshark's
// PI_CHAT 0x200000, PI_NOTE 0x400000, PI_WARN 0x600000, PI_ERROR 0x800000.
using System.Globalization;

namespace Stratum.Interop.Tests.Harness;

public sealed record TsharkNtpRow(
    int FrameNumber,
    string Source,
    string Destination,
    int? LeapIndicator,
    int? Version,
    int? Mode,
    int? Stratum,
    uint? ReferenceId,
    string Malformed,
    IReadOnlyList<int> ExpertSeverities)
{
    public const int ExpertWarning = 0x600000;

    /// <summary>The -e arguments, in the order Parse expects the columns.</summary>
    public static readonly string[] Fields =
    [
        "frame.number", "ip.src", "ip.dst", "ntp.flags.li", "ntp.flags.vn", "ntp.flags.mode", "ntp.stratum",
        "ntp.refid", "_ws.malformed", "_ws.expert.severity",
    ];

    public bool IsMalformed => Malformed.Length > 0;

    /// <summary>Wireshark raised a warning or an error about this frame.</summary>
    public bool HasExpertWarning => ExpertSeverities.Any(severity => severity >= ExpertWarning);

    /// <summary>One row per non-empty line of tshark's tab-separated output; throws on a line it cannot read.</summary>
    public static IReadOnlyList<TsharkNtpRow> Parse(string output)
    {
        var rows = new List<TsharkNtpRow>();
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length != Fields.Length || !int.TryParse(columns[0], CultureInfo.InvariantCulture, out var frame))
            {
                throw new FormatException($"unexpected tshark line ({columns.Length} columns, want {Fields.Length}): '{line}'");
            }

            rows.Add(new TsharkNtpRow(
                frame,
                columns[1],
                columns[2],
                OptionalInt(columns[3]),
                OptionalInt(columns[4]),
                OptionalInt(columns[5]),
                OptionalInt(columns[6]),
                uint.TryParse(columns[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var refid) ? refid : null,
                columns[8],
                [.. columns[9].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))]));
        }

        return rows;
    }

    private static int? OptionalInt(string text) =>
        int.TryParse(text.Split(',')[0], CultureInfo.InvariantCulture, out var value) ? value : null;
}

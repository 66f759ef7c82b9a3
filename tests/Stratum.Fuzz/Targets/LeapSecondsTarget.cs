// LeapSecondsTarget: LeapSecondsParser.Parse over any text, at a fixed "now" (2025-01-01).
// Beyond "no exception": diagnostics pass DiagnosticChecks; a table's entries ascend with TAI-UTC
// steps of one; the queries agree with the entries at and just before every entry; the expiry
// warning appears exactly when the list has expired.
using System.Text;
using Stratum.Core.Config;
using Stratum.Core.Leap;

namespace Stratum.Fuzz.Targets;

internal static class LeapSecondsTarget
{
    /// <summary>2025-01-01 00:00:00 UTC in NTP seconds.</summary>
    private const long Now = 3_944_678_400;

    public static void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        LeapSecondsParseResult result = LeapSecondsParser.Parse(text, "leap-seconds.list", Now);
        DiagnosticChecks.CheckAll(result.Diagnostics, DiagnosticChecks.CountLines(text));
        FuzzInvariantException.Check(result.HasErrors == DiagnosticChecks.AnyError(result.Diagnostics), "HasErrors disagrees with the diagnostics");
        if (result.Table is { } table)
        {
            CheckTable(table, result.Diagnostics);
        }
    }

    private static void CheckTable(LeapSecondTable table, IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        IReadOnlyList<LeapSecondEntry> entries = table.Entries;
        FuzzInvariantException.Check(entries.Count > 0, "table without entries");
        for (int i = 0; i < entries.Count; i++)
        {
            LeapSecondEntry entry = entries[i];
            FuzzInvariantException.Check(table.TaiOffsetAt(entry.SecondsSince1900) == entry.TaiOffset, $"TaiOffsetAt entry {i}");
            int? before = i == 0 ? null : entries[i - 1].TaiOffset;
            FuzzInvariantException.Check(table.TaiOffsetAt(entry.SecondsSince1900 - 1) == before, $"TaiOffsetAt just before entry {i}");
            if (i == 0)
            {
                continue;
            }

            FuzzInvariantException.Check(entry.SecondsSince1900 > entries[i - 1].SecondsSince1900, "entries do not ascend");
            int step = entry.TaiOffset - entries[i - 1].TaiOffset;
            FuzzInvariantException.Check(step is 1 or -1, $"TAI-UTC step of {step}");
            var expected = new LeapEvent(entry.SecondsSince1900, step > 0 ? LeapKind.Insert : LeapKind.Delete, entry.TaiOffset);
            FuzzInvariantException.Check(table.NextLeapAfter(entry.SecondsSince1900 - 1) == expected, $"NextLeapAfter just before entry {i}");
        }

        FuzzInvariantException.Check(table.NextLeapAfter(entries[^1].SecondsSince1900) is null, "a leap after the last entry");
        FuzzInvariantException.Check(table.IsExpiredAt(table.Expiry) && !table.IsExpiredAt(table.Expiry - 1), "IsExpiredAt at the expiry");
        bool warned = false;
        foreach (ConfigDiagnostic diagnostic in diagnostics)
        {
            warned |= diagnostic.Message.StartsWith("the leap second list expired", StringComparison.Ordinal);
        }

        FuzzInvariantException.Check(warned == table.IsExpiredAt(Now), "expiry warning disagrees with IsExpiredAt");
    }
}

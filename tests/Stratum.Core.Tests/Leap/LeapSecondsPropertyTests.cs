// Properties of LeapSecondsParser over generated lists: any well-formed list with a correct
// "#h" (computed here independently: SHA-1 of the digits of "#$", "#@" and each data line)
// verifies and answers queries from its own entries; changing any one digit of a data line breaks
// the hash.
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Stratum.Core.Leap;

namespace Stratum.Core.Tests.Leap;

public class LeapSecondsPropertyTests
{
    private static readonly Gen<(long Start, int FirstOffset, (int Gap, bool Insert)[] Steps)> s_lists =
        Gen.Select(Gen.Long[2_000_000_000, 3_000_000_000], Gen.Int[0, 100], Gen.Select(Gen.Int[1, 100_000_000], Gen.Bool).Array[0, 30]);

    [Fact]
    public void Parse_WellFormedListWithItsHash_VerifiesAndAnswersFromItsEntries()
    {
        s_lists.Sample(list =>
        {
            (string text, List<(long Time, int Offset)> entries) = Render(list.Start, list.FirstOffset, list.Steps);

            LeapSecondsParseResult result = LeapSecondsParser.Parse(text, "l", 0);

            Assert.Empty(result.Diagnostics);
            LeapSecondTable table = result.Table!;
            Assert.True(table.IsHashVerified);
            Assert.Equal(entries, table.Entries.Select(e => (e.SecondsSince1900, e.TaiOffset)));
            for (int i = 0; i < entries.Count; i++)
            {
                Assert.Equal(entries[i].Offset, table.TaiOffsetAt(entries[i].Time));
                if (i > 0)
                {
                    Assert.Equal(entries[i - 1].Offset, table.TaiOffsetAt(entries[i].Time - 1));
                    LeapKind kind = entries[i].Offset > entries[i - 1].Offset ? LeapKind.Insert : LeapKind.Delete;
                    Assert.Equal(new LeapEvent(entries[i].Time, kind, entries[i].Offset), table.NextLeapAfter(entries[i - 1].Time));
                }
            }
        });
    }

    [Fact]
    public void Parse_OneDigitOfADataLineChanged_IsAHashMismatch()
    {
        Gen.Select(s_lists, Gen.Int[0, int.MaxValue]).Sample(sample =>
        {
            ((long start, int firstOffset, (int, bool)[] steps), int pick) = sample;
            (string text, _) = Render(start, firstOffset, steps);
            string[] lines = text.Split('\n');
            int dataLine = 2 + (pick % (steps.Length + 1));
            char[] digits = lines[dataLine].ToCharArray();
            digits[0] = digits[0] == '9' ? '8' : (char)(digits[0] + 1);
            lines[dataLine] = new string(digits);

            LeapSecondsParseResult result = LeapSecondsParser.Parse(string.Join('\n', lines), "l", 0);

            Assert.Contains(result.Diagnostics, d => d.Message.StartsWith("hash mismatch", StringComparison.Ordinal) || d.Message.StartsWith("time ", StringComparison.Ordinal));
            Assert.True(result.HasErrors);
        });
    }

    private static (string Text, List<(long Time, int Offset)> Entries) Render(long start, int firstOffset, (int Gap, bool Insert)[] steps)
    {
        var entries = new List<(long Time, int Offset)> { (start, firstOffset) };
        foreach ((int gap, bool insert) in steps)
        {
            (long time, int offset) = entries[^1];
            entries.Add((time + gap, offset + (insert ? 1 : -1)));
        }

        long update = start;
        long expiry = entries[^1].Time + 1;
        var text = new StringBuilder().Append("#$\t").Append(update).Append('\n').Append("#@\t").Append(expiry).Append('\n');
        var digits = new StringBuilder().Append(update).Append(expiry);
        foreach ((long time, int offset) in entries)
        {
            text.Append(time).Append("\t\t").Append(offset).Append("\t# entry\n");
            digits.Append(time).Append(offset);
        }

#pragma warning disable CA5350 // Weak cryptographic algorithm: the file format fixes SHA-1 for "#h".
        string hash = Convert.ToHexStringLower(SHA1.HashData(Encoding.ASCII.GetBytes(digits.ToString())));
#pragma warning restore CA5350
        text.Append("#h\t").AppendJoin(' ', Enumerable.Range(0, 5).Select(word => hash.Substring(word * 8, 8))).Append('\n');
        return (text.ToString(), entries);
    }
}

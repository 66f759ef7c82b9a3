// AuthDirectives: "keys PATH", "trustedkey N [N ...]" with ranges "(first ... last)",
// "controlkey N" and "requestkey N" (ntpd 4.2.8 authopt.html). Key ids are 1..65535.
// Deviation: several trustedkey lines add up (some ntpd 4.2.8 releases keep only the last line).
using System.Globalization;

namespace Stratum.Core.Config;

/// <summary>Parsers of the symmetric-key directives.</summary>
internal static class AuthDirectives
{
    public static void Keys(DirectiveLine line, ConfigBuilder config)
    {
        if (line.TryTakeArgument("a file name", out ConfigToken path))
        {
            config.NoteSingleton(line);
            line.ExpectEnd();
            config.KeysFile = path.Text;
        }
    }

    public static void ControlKey(DirectiveLine line, ConfigBuilder config)
    {
        if (line.TryTakeInteger(line.Directive, KeyIdLimits.Min, KeyIdLimits.Max, out int keyId))
        {
            config.NoteSingleton(line);
            config.ControlKey = (uint)keyId;
        }

        line.ExpectEnd();
    }

    public static void RequestKey(DirectiveLine line, ConfigBuilder config)
    {
        if (line.TryTakeInteger(line.Directive, KeyIdLimits.Min, KeyIdLimits.Max, out int keyId))
        {
            config.NoteSingleton(line);
            config.RequestKey = (uint)keyId;
        }

        line.ExpectEnd();
    }

    /// <summary>trustedkey 1 2 (10 ... 20): numbers and ranges; parentheses may touch the numbers.</summary>
    public static void TrustedKey(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.RequireOptions("at least one key number"))
        {
            return;
        }

        var pieces = new List<ConfigToken>();
        while (line.TryTake(out ConfigToken token))
        {
            SplitRangeSyntax(token, pieces);
        }

        int i = 0;
        while (i < pieces.Count)
        {
            ConfigToken piece = pieces[i];
            if (piece.Text == "(")
            {
                i = ParseRange(line, config, pieces, i);
                continue;
            }

            if (TryParseKeyId(piece.Text, out uint keyId))
            {
                config.AddTrustedKey(keyId);
            }
            else
            {
                line.Error(piece, BadKeyMessage(piece));
            }

            i++;
        }
    }

    /// <summary>Parses "( first ... last )" starting at <paramref name="open"/>; returns the index after it.</summary>
    private static int ParseRange(DirectiveLine line, ConfigBuilder config, List<ConfigToken> pieces, int open)
    {
        bool wellFormed = open + 4 < pieces.Count
            && pieces[open + 2].Text == "..."
            && pieces[open + 4].Text == ")";
        if (!wellFormed)
        {
            line.Error(pieces[open], "bad key range in trustedkey: write (first ... last)");
            return pieces.Count;
        }

        ConfigToken firstToken = pieces[open + 1];
        ConfigToken lastToken = pieces[open + 3];
        if (!TryParseKeyId(firstToken.Text, out uint first))
        {
            line.Error(firstToken, BadKeyMessage(firstToken));
        }
        else if (!TryParseKeyId(lastToken.Text, out uint last))
        {
            line.Error(lastToken, BadKeyMessage(lastToken));
        }
        else if (first > last)
        {
            line.Error(firstToken, $"bad key range in trustedkey: {first} is above {last}");
        }
        else
        {
            for (uint keyId = first; keyId <= last; keyId++)
            {
                config.AddTrustedKey(keyId);
            }
        }

        return open + 5;
    }

    private static string BadKeyMessage(ConfigToken token) =>
        $"'trustedkey' needs key numbers from 1 to 65535, not {DiagnosticText.Quote(token.Text)}";

    private static bool TryParseKeyId(string text, out uint keyId) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out keyId)
        && keyId >= KeyIdLimits.Min && keyId <= KeyIdLimits.Max;

    /// <summary>
    /// Splits "(", ")" and "..." out of a word: "(1" → "(", "1"; "10...12)" → "10", "...", "12", ")".
    /// Columns follow the characters.
    /// </summary>
    private static void SplitRangeSyntax(ConfigToken token, List<ConfigToken> pieces)
    {
        string text = token.Text;
        int start = 0;
        int i = 0;
        while (i < text.Length)
        {
            int length = RangeSyntaxLengthAt(text, i);
            if (length == 0)
            {
                i++;
                continue;
            }

            AddPiece(token, start, i, pieces);
            AddPiece(token, i, i + length, pieces);
            i += length;
            start = i;
        }

        AddPiece(token, start, text.Length, pieces);
    }

    private static void AddPiece(ConfigToken token, int start, int end, List<ConfigToken> pieces)
    {
        if (end > start)
        {
            pieces.Add(new ConfigToken(token.Text[start..end], token.Column + start));
        }
    }

    /// <summary>1 for '(' or ')', 3 for "...", otherwise 0.</summary>
    private static int RangeSyntaxLengthAt(string text, int index)
    {
        if (text[index] is '(' or ')')
        {
            return 1;
        }

        return text.AsSpan(index).StartsWith("...", StringComparison.Ordinal) ? 3 : 0;
    }
}

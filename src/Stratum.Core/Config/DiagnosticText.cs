// DiagnosticText: how words and numbers appear in config messages. Words are single-quoted as in
// ntpd's own messages; control characters are escaped and long words cut, so a hostile file
// cannot put terminal escapes or megabytes into a log line.
using System.Globalization;
using System.Text;

namespace Stratum.Core.Config;

/// <summary>Formatting helpers for diagnostic messages.</summary>
internal static class DiagnosticText
{
    private const int MaxShownCharacters = 64;

    /// <summary>'word', with control characters as \xNN and at most 64 characters shown.</summary>
    public static string Quote(string word)
    {
        var text = new StringBuilder(Math.Min(word.Length, MaxShownCharacters) + 5);
        text.Append('\'');
        for (int i = 0; i < word.Length; i++)
        {
            if (i == MaxShownCharacters)
            {
                text.Append("...");
                break;
            }

            char c = word[i];
            if (char.IsControl(c))
            {
                text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append('\'').ToString();
    }

    /// <summary>The text with control characters as \xNN, unquoted and uncut (for file names and whole messages).</summary>
    public static string EscapeControl(string text)
    {
        int firstControl = 0;
        while (firstControl < text.Length && !char.IsControl(text[firstControl]))
        {
            firstControl++;
        }

        if (firstControl == text.Length)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                escaped.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}

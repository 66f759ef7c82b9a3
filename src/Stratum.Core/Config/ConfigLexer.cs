// ConfigLexer: splits one ntp.conf line into words, following ntpd 4.2.8's scanner
// (ntp_scanner.c): words are separated by spaces and tabs, '#' outside quotes starts a comment
// anywhere on the line, and double quotes group a path with spaces ("a b" is one word; quotes
// may also appear inside a word, shell-style). Line continuation does not exist in ntp.conf.
// Keywords are not recognized here; the lexer never fails, it only reports an unclosed quote.
using System.Text;

namespace Stratum.Core.Config;

/// <summary>Turns a config line into tokens.</summary>
internal static class ConfigLexer
{
    /// <summary>Splits <paramref name="line"/> (without its line end) into words.</summary>
    /// <param name="line">The line's text.</param>
    /// <param name="unclosedQuoteColumn">1-based column of a quote never closed, else 0.</param>
    public static List<ConfigToken> Tokenize(string line, out int unclosedQuoteColumn)
    {
        var tokens = new List<ConfigToken>();
        var word = new StringBuilder();
        unclosedQuoteColumn = 0;
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (IsSeparator(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                break;
            }

            int start = i;
            int openQuoteIndex = -1;
            word.Clear();
            while (i < line.Length)
            {
                c = line[i];
                if (openQuoteIndex >= 0)
                {
                    if (c == '"')
                    {
                        openQuoteIndex = -1;
                    }
                    else
                    {
                        word.Append(c);
                    }
                }
                else if (c == '"')
                {
                    openQuoteIndex = i;
                }
                else if (IsSeparator(c) || c == '#')
                {
                    break;
                }
                else
                {
                    word.Append(c);
                }

                i++;
            }

            if (openQuoteIndex >= 0)
            {
                unclosedQuoteColumn = openQuoteIndex + 1;
            }

            tokens.Add(new ConfigToken(word.ToString(), start + 1));
        }

        return tokens;
    }

    /// <summary>Space, tab and the other ASCII blanks isspace() accepts (a stray CR included).</summary>
    private static bool IsSeparator(char c) => c is ' ' or '\t' or '\v' or '\f' or '\r';
}

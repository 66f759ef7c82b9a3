// AssociationsTable: ntpq 4.2.8's `associations` listing (ntpq-subs.c printassoc): a blank line,
// the header, 59 '=' characters, then per association
// "%3d %5u  %04x   %3.3s  %4s  %4.4s %9.9s %11s %2lu" with trailing blanks removed.
using System.Globalization;
using System.Text;
using Stratum.Core.Mode6;

namespace Stratum.Tools.Ntpq;

/// <summary>Formats the association list.</summary>
internal static class AssociationsTable
{
    public const string Header =
        "\nind assid status  conf reach auth condition  last_event cnt\n"
        + "===========================================================\n";

    public static string Format(IReadOnlyList<(ushort Id, ushort Status)> associations, bool showAll = false)
    {
        if (associations.Count == 0)
        {
            return "No association ID's in list\n";
        }

        var text = new StringBuilder(Header);
        for (int i = 0; i < associations.Count; i++)
        {
            (ushort id, ushort status) = associations[i];
            PeerStatusWord word = PeerStatusWord.Decode(status);
            if (!showAll && !word.Configured && !word.Reachable)
            {
                continue;
            }

            string auth = word.AuthenticationEnabled ? (word.Authentic ? "ok " : "bad") : "none";
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{i + 1,3} {id,5}  {status:x4}   {Cut(word.Configured ? "yes" : "no", 3),3}  {(word.Reachable ? "yes" : "no"),4}  {Cut(auth, 4),4} {Cut(StatusText.Conditions[(int)word.Selection], 9),9} {StatusText.PeerEventName(word.EventCode),11} {word.EventCount,2}");
            text.Append(line.TrimEnd(' ')).Append('\n');
        }

        return text.ToString();
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;
}

// InterfaceNamePattern: matching an interface name against the pattern of an "interface NAME"
// rule. ntpd 4.2.8 uses fnmatch(3) with FNM_CASEFOLD: '*' any run, '?' one character,
// '[abc]', '[a-z]' and '[!a]' sets, '\' escapes; comparison ignores ASCII case.
namespace Stratum.Core.Config;

/// <summary>fnmatch-style, case-insensitive matching of interface names.</summary>
internal static class InterfaceNamePattern
{
    public static bool Matches(string pattern, string name)
    {
        int p = 0;
        int n = 0;
        int starPattern = -1;
        int starName = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starPattern = p++;
                starName = n;
                continue;
            }

            if (p < pattern.Length && TryMatchOne(pattern, ref p, name[n]))
            {
                n++;
                continue;
            }

            if (starPattern < 0)
            {
                return false;
            }

            // Backtrack: let the last '*' swallow one more character.
            p = starPattern + 1;
            n = ++starName;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Matches one pattern element at <paramref name="p"/> to <paramref name="c"/>; advances on success.</summary>
    private static bool TryMatchOne(string pattern, ref int p, char c)
    {
        char head = pattern[p];
        if (head == '?')
        {
            p++;
            return true;
        }

        if (head == '[' && TryMatchSet(pattern, p, c, out int next, out bool matched))
        {
            if (matched)
            {
                p = next;
            }

            return matched;
        }

        if (head == '\\' && p + 1 < pattern.Length)
        {
            if (SameIgnoringCase(pattern[p + 1], c))
            {
                p += 2;
                return true;
            }

            return false;
        }

        if (SameIgnoringCase(head, c))
        {
            p++;
            return true;
        }

        return false;
    }

    /// <summary>Reads a [..] set at <paramref name="start"/>; false when unclosed ('[' is then literal).</summary>
    private static bool TryMatchSet(string pattern, int start, char c, out int next, out bool matched)
    {
        int i = start + 1;
        bool negate = i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^');
        if (negate)
        {
            i++;
        }

        bool found = false;
        bool first = true;
        while (i < pattern.Length && (pattern[i] != ']' || first))
        {
            char low = pattern[i];
            char high = low;
            if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
            {
                high = pattern[i + 2];
                i += 2;
            }

            if (InRangeIgnoringCase(c, low, high))
            {
                found = true;
            }

            first = false;
            i++;
        }

        if (i >= pattern.Length)
        {
            next = start;
            matched = false;
            return false;
        }

        next = i + 1;
        matched = found != negate;
        return true;
    }

    private static bool InRangeIgnoringCase(char c, char low, char high) =>
        (c >= low && c <= high)
        || (char.ToLowerInvariant(c) >= low && char.ToLowerInvariant(c) <= high)
        || (char.ToUpperInvariant(c) >= low && char.ToUpperInvariant(c) <= high);

    private static bool SameIgnoringCase(char a, char b) =>
        a == b || (char.IsAscii(a) && char.IsAscii(b) && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}

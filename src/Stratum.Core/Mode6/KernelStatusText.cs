// KernelStatusText: the kernel discipline's status word (struct timex status, the STA_* bits of
// Linux and of RFC 1589's kernel model) as the words ntpd prints for it: in the mode 6 variable
// kstflags (space separated, bit order) and in ntpdc kerninfo. Parse turns kstflags back into bits
// for ntpdc's mode 6 fallback.
namespace Stratum.Core.Mode6;

/// <summary>STA_* bits ↔ ntpd's words.</summary>
public static class KernelStatusText
{
    /// <summary>STA_NANO: the offset and jitter fields are in nanoseconds, not microseconds.</summary>
    public const int Nano = 0x2000;

    private static readonly (int Bit, string Word)[] s_words =
    [
        (0x0001, "pll"), (0x0002, "ppsfreq"), (0x0004, "ppstime"), (0x0008, "fll"), (0x0010, "ins"), (0x0020, "del"),
        (0x0040, "unsync"), (0x0080, "freqhold"), (0x0100, "ppssignal"), (0x0200, "ppsjitter"), (0x0400, "ppswander"),
        (0x0800, "ppserror"), (0x1000, "clockerr"), (0x2000, "nano"), (0x4000, "mode=fll"), (0x8000, "src=B"),
    ];

    /// <summary>The words of the set bits, in bit order, joined by single spaces ("" for none).</summary>
    public static string Format(int status)
    {
        var words = new List<string>();
        foreach ((int bit, string word) in s_words)
        {
            if ((status & bit) != 0)
            {
                words.Add(word);
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>The bits named in <paramref name="text"/>; unknown words are ignored.</summary>
    public static int Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int status = 0;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach ((int bit, string name) in s_words)
            {
                if (string.Equals(word, name, StringComparison.Ordinal))
                {
                    status |= bit;
                }
            }
        }

        return status;
    }
}

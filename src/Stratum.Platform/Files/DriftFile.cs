// DriftFile: ntpd's drift file (ntp.conf `driftfile`, ntpd 4.2.8 ntp_util.c): one line holding the
// clock's frequency correction in PPM, written as "%.3f". Read once at start so the frequency can be
// applied at once; written hourly and at exit, atomically (a ".TEMP" file beside it, then rename(2)),
// so a crash never leaves a half-written file; the daemon runs as root, so the temporary is created
// exclusively and never through a symbolic link (NoFollowFile). A missing file is normal (first start); corrupt
// content or a value beyond the ±500 PPM kernel limit is reported and ignored, never fatal. Like
// ntpd's fscanf("%lf"), only the first token is read; anything after it is ignored. No clamping:
// deciding what to do with a bad value is the caller's business. Never throws on I/O errors.
using System.Globalization;
using System.Text;

namespace Stratum.Platform.Files;

/// <summary>Reads and writes ntpd's drift file (frequency in PPM).</summary>
public static class DriftFile
{
    /// <summary>Largest frequency accepted, in PPM: the kernel's ±500 PPM limit.</summary>
    public const double MaxFrequencyPpm = 500;

    /// <summary>Suffix of the temporary file written before the rename, as ntpd names it.</summary>
    public const string TemporarySuffix = ".TEMP";

    /// <summary>A drift file is a few bytes; anything longer than this is not one.</summary>
    private const int MaxBytes = 4096;

    /// <summary>
    /// Reads the frequency. Returns true with <paramref name="ppm"/> set when the file holds a valid
    /// value. Returns false with <paramref name="error"/> null when the file does not exist, and false
    /// with an error text naming the file and the problem when it cannot be read or is corrupt.
    /// </summary>
    public static bool TryRead(string path, out double ppm, out string? error)
    {
        ppm = 0;
        error = null;
        string text;
        try
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            byte[] buffer = new byte[MaxBytes + 1];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxBytes)
            {
                error = $"drift file {path}: larger than {MaxBytes} bytes, not a drift file; ignored";
                return false;
            }

            text = Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"cannot read drift file {path}: {FileErrorText.Describe(path, exception)}; ignored";
            return false;
        }

        string firstToken = FirstToken(text);
        if (firstToken.Length == 0)
        {
            error = $"drift file {path}: empty, no frequency; ignored";
            return false;
        }

        if (!double.TryParse(firstToken, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            error = $"drift file {path}: frequency format error ('{Shorten(firstToken)}' is not a number); ignored";
            return false;
        }

        if (Math.Abs(value) > MaxFrequencyPpm)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"drift file {path}: frequency {value:F3} PPM exceeds tolerance {MaxFrequencyPpm:F0} PPM; ignored");
            return false;
        }

        ppm = value;
        return true;
    }

    /// <summary>
    /// Writes <paramref name="ppm"/> as "%.3f\n" atomically. Returns null on success, else an error
    /// text naming the file and the OS problem (the old file, if any, is then left untouched).
    /// </summary>
    public static string? Write(string path, double ppm) => Write(path, ppm, out _);

    /// <summary>
    /// As <see cref="Write(string, double)"/>; <paramref name="notice"/> reports a temporary name that
    /// was taken by something not removed (a symbolic link, another user's file), even on success.
    /// </summary>
    public static string? Write(string path, double ppm, out string? notice)
    {
        notice = null;
        if (!double.IsFinite(ppm) || Math.Abs(ppm) > MaxFrequencyPpm)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"cannot write drift file {path}: frequency {ppm:F3} PPM is outside ±{MaxFrequencyPpm:F0} PPM");
        }

        byte[] content = Encoding.ASCII.GetBytes(ppm.ToString("F3", CultureInfo.InvariantCulture) + "\n");
        string? error = NoFollowFile.ReplaceAtomically(path, content, TemporarySuffix, out string? taken);
        if (taken is not null)
        {
            notice = $"drift file {path}: {taken}";
        }

        return error is null ? null : $"cannot write drift file {path}: {error}";
    }

    private static string FirstToken(string text)
    {
        ReadOnlySpan<char> span = text.AsSpan().TrimStart();
        int end = 0;
        while (end < span.Length && !char.IsWhiteSpace(span[end]))
        {
            end++;
        }

        return span[..end].ToString();
    }

    private static string Shorten(string token) => token.Length <= 32 ? token : token[..32] + "…";
}

// ConfigFileReader: reads a config file's text for ConfigFileLoader and ConfigFileIncludeSource,
// turning every failure into the OS's own words ("No such file or directory", "Permission
// denied", "Is a directory") rather than .NET exception text. A size cap keeps a mistaken path
// such as /dev/zero from eating memory. UTF-8; a byte order mark is dropped.
using System.Text;

namespace Stratum.Platform.Files;

/// <summary>Reads config files without throwing.</summary>
internal static class ConfigFileReader
{
    /// <summary>Largest config file accepted: far beyond any real ntp.conf.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static bool TryRead(string path, out string text, out string? error)
    {
        text = "";
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var content = new MemoryStream();
            byte[] chunk = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (content.Length + read > MaxBytes)
                {
                    error = $"larger than {MaxBytes / (1024 * 1024)} MiB";
                    return false;
                }

                content.Write(chunk, 0, read);
            }

            ReadOnlySpan<byte> bytes = content.GetBuffer().AsSpan(0, (int)content.Length);
            if (bytes.StartsWith(s_utf8.Preamble))
            {
                bytes = bytes[s_utf8.Preamble.Length..];
            }

            text = s_utf8.GetString(bytes);
            error = null;
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = FileErrorText.Describe(path, exception);
            return false;
        }
    }
}

// ControlWriteNonce: the line by which a mode 6 write (ntpq :config, writevar) proves it is fresh. The
// text ends with `# nonce=N`, N a nonce the server issued (REQ_NONCE) moments before: a comment to any
// ntpd's configuration parser, covered by the request's MAC, checked by Stratum's ntpd (issued to the
// same client address and port within 16 s).
namespace Stratum.Core.Mode6;

/// <summary>Adds and finds the nonce line of a mode 6 write.</summary>
public static class ControlWriteNonce
{
    /// <summary>The comment that carries a nonce, at the start of the text's last line.</summary>
    public const string LinePrefix = "# nonce=";

    /// <summary>The nonce of a last line <c># nonce=N</c>, if the text has one.</summary>
    public static bool TryFind(ReadOnlySpan<byte> text, out ReadOnlySpan<byte> nonce)
    {
        nonce = default;
        int end = text.IndexOf((byte)0);
        ReadOnlySpan<byte> trimmed = (end >= 0 ? text[..end] : text).TrimEnd("\r\n\t "u8);
        int lineStart = trimmed.LastIndexOf((byte)'\n') + 1;
        ReadOnlySpan<byte> line = trimmed[lineStart..].TrimStart("\t "u8);
        ReadOnlySpan<byte> prefix = "# nonce="u8;
        if (!line.StartsWith(prefix))
        {
            return false;
        }

        nonce = line[prefix.Length..].Trim("\t "u8);
        return true;
    }

    /// <summary>The text with a nonce line appended, as Stratum's ntpq sends a write.</summary>
    public static string WithNonce(string text, string nonce)
    {
        ArgumentNullException.ThrowIfNull(text);
        return $"{text.TrimEnd('\r', '\n')}\n{LinePrefix}{nonce}";
    }
}

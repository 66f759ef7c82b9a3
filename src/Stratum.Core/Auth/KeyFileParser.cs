// KeyFileParser: reads ntpd's symmetric keys file (ntp.keys(5) and authopt.html of ntpd 4.2.8;
// ntp-keygen writes it). One key per line, words separated by spaces or tabs, '#' starts a
// comment anywhere:
//
//     keyid  type  key  [access-list]
//     1      MD5   Ab!c7                # ASCII: 1 to 20 printable characters
//     2      SHA1  0f1e2d...            # hex: more than 20 characters are hex digits
//     3      AES128CMAC 00112233445566778899aabbccddeeff 192.0.2.0/24,2001:db8::1
//
// The key id is 1..65535; the type is a KeyTypeNames word (case-insensitive); a key of up to 20
// characters is used as its ASCII octets, a longer one is hex (ntpd 4.2.8's rule), at most 64
// digits (32 octets). The optional access list is comma-separated addresses with an optional
// "/bits". Every problem is a diagnostic naming file, line and column, and parsing goes on with
// the next line, so one run reports all of them; nothing here throws on input.
// Deviation: ntpd keeps the first of two lines with the same key id silently and drops a hex
// key's odd last digit; both are errors here, since either way the secret in force is not the
// one the file seems to say.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stratum.Core.Config;

namespace Stratum.Core.Auth;

/// <summary>Parses keys file text into a <see cref="KeyTable"/> and diagnostics.</summary>
public static class KeyFileParser
{
    /// <summary>Longest key used as ASCII text; a longer one is hex (ntpd 4.2.8 authreadkeys).</summary>
    public const int MaxAsciiKeyLength = 20;

    /// <summary>Longest secret in octets (64 hex digits).</summary>
    public const int MaxSecretLength = 32;

    /// <summary>AES-128 CMAC keys are 16 octets; shorter ones are zero-extended.</summary>
    private const int CmacKeyLength = 16;

    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is used in diagnostics.</summary>
    public static KeyFileParseResult Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new List<ConfigDiagnostic>();
        var keys = new List<SymmetricKey>();
        var firstLineOfKey = new Dictionary<ushort, int>();
        var words = new List<ConfigToken>(4);
        var lines = new TextLineReader(text);
        while (lines.TryReadLine(out ReadOnlySpan<char> rawLine, out int lineNumber))
        {
            var line = new LineContext(fileName, lineNumber, diagnostics);
            SplitWords(rawLine, words);
            if (words.Count == 0)
            {
                continue;
            }

            SymmetricKey? key = ParseLine(line, words);
            if (key is null)
            {
                continue;
            }

            if (firstLineOfKey.TryGetValue(key.KeyId, out int firstLine))
            {
                line.Error(words[0], $"key {key.KeyId} is already defined at {fileName}:{firstLine}; this line is ignored");
                continue;
            }

            firstLineOfKey.Add(key.KeyId, lineNumber);
            keys.Add(key);
        }

        return new KeyFileParseResult(new KeyTable(keys), diagnostics);
    }

    /// <summary>One key line; null when it has an error or names an unsupported type.</summary>
    private static SymmetricKey? ParseLine(LineContext line, List<ConfigToken> words)
    {
        ConfigToken idWord = words[0];
        if (!TryParseKeyId(idWord.Text, out ushort keyId))
        {
            string reserved = IsNumberAboveKeyRange(idWord.Text) ? " (larger ids were reserved for Autokey)" : "";
            line.Error(idWord, $"key id must be a number from 1 to 65535, not {DiagnosticText.Quote(idWord.Text)}{reserved}");
            return null;
        }

        if (words.Count < 2)
        {
            line.Error(idWord, $"key {keyId} has no type");
            return null;
        }

        if (words.Count < 3)
        {
            line.Error(words[1], $"key {keyId} has no key after its type");
            return null;
        }

        ConfigToken typeWord = words[1];
        bool typeKnown = KeyTypeNames.TryParse(typeWord.Text, out KeyType type);
        if (!TryDecodeSecret(line, keyId, words[2], out byte[] secret))
        {
            return null;
        }

        var allowed = new List<KeyAccessEntry>();
        if (words.Count > 3 && !TryParseAccessList(line, keyId, words[3], allowed))
        {
            return null;
        }

        if (words.Count > 4)
        {
            line.Error(words[4], $"unexpected {DiagnosticText.Quote(words[4].Text)} after the access list of key {keyId}");
            return null;
        }

        if (!typeKnown)
        {
            line.Warning(typeWord, $"unsupported key type {DiagnosticText.Quote(typeWord.Text)} for key {keyId}; the key is ignored");
            return null;
        }

        if (type == KeyType.Aes128Cmac && secret.Length < CmacKeyLength)
        {
            line.Warning(words[2], $"AES128CMAC key {keyId} has {secret.Length} octets; it is zero-extended to {CmacKeyLength}");
            Array.Resize(ref secret, CmacKeyLength);
        }

        return new SymmetricKey(keyId, type, secret, allowed);
    }

    /// <summary>ASCII for up to 20 characters, else hex (two digits per octet).</summary>
    private static bool TryDecodeSecret(LineContext line, ushort keyId, ConfigToken word, out byte[] secret)
    {
        string text = word.Text;
        secret = [];
        if (text.Length <= MaxAsciiKeyLength)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] is < '!' or > '~')
                {
                    line.Error(word, $"key {keyId}: a key of up to {MaxAsciiKeyLength} characters is ASCII text and may hold only printable characters, not {DiagnosticText.Quote(text[i].ToString())}");
                    return false;
                }
            }

            secret = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                secret[i] = (byte)text[i];
            }

            return true;
        }

        if (text.Length > 2 * MaxSecretLength)
        {
            line.Error(word, $"key {keyId}: a hex key has at most {2 * MaxSecretLength} digits ({MaxSecretLength} octets), not {text.Length}");
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiHexDigit(text[i]))
            {
                line.Error(word, $"key {keyId}: a key longer than {MaxAsciiKeyLength} characters must be hex digits, not {DiagnosticText.Quote(text[i].ToString())}");
                return false;
            }
        }

        if ((text.Length & 1) != 0)
        {
            line.Error(word, $"key {keyId}: a hex key needs an even number of digits, not {text.Length}");
            return false;
        }

        secret = Convert.FromHexString(text);
        return true;
    }

    /// <summary>"addr[/bits][,addr[/bits]]...": ntpd clamps a too-long prefix and says so.</summary>
    private static bool TryParseAccessList(LineContext line, ushort keyId, ConfigToken word, List<KeyAccessEntry> entries)
    {
        foreach (string item in word.Text.Split(','))
        {
            int slash = item.IndexOf('/', StringComparison.Ordinal);
            string addressText = slash < 0 ? item : item[..slash];
            if (!AddressSyntax.TryParseLiteral(addressText, out IPAddress? address))
            {
                line.Error(word, $"bad address {DiagnosticText.Quote(addressText)} in the access list of key {keyId}");
                return false;
            }

            int fullLength = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
            int prefixLength = fullLength;
            if (slash >= 0)
            {
                string bitsText = item[(slash + 1)..];
                if (!int.TryParse(bitsText, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength) || bitsText.Length > 3)
                {
                    line.Error(word, $"bad prefix length {DiagnosticText.Quote(bitsText)} in the access list of key {keyId}");
                    return false;
                }

                if (prefixLength > fullLength)
                {
                    line.Warning(word, $"prefix length {prefixLength} of {addressText} in the access list of key {keyId} is above {fullLength}; {fullLength} is used");
                    prefixLength = fullLength;
                }
            }

            entries.Add(new KeyAccessEntry(address, prefixLength));
        }

        return true;
    }

    private static bool TryParseKeyId(string text, out ushort keyId) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out keyId) && keyId >= 1;

    private static bool IsNumberAboveKeyRange(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.TrimStart('0').Length > 0 && !ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>Words end at a space, tab or '#'; '#' also ends the line. Columns are 1-based.</summary>
    private static void SplitWords(ReadOnlySpan<char> line, List<ConfigToken> words)
    {
        words.Clear();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c == '#')
            {
                return;
            }

            if (c is ' ' or '\t')
            {
                i++;
                continue;
            }

            int start = i;
            while (i < line.Length && line[i] is not (' ' or '\t' or '#'))
            {
                i++;
            }

            words.Add(new ConfigToken(line[start..i].ToString(), start + 1));
        }
    }

    /// <summary>File and line of the diagnostics of one line.</summary>
    private readonly record struct LineContext(string File, int Line, List<ConfigDiagnostic> Diagnostics)
    {
        public void Error(ConfigToken word, string message) =>
            Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, File, Line, word.Column, message));

        public void Warning(ConfigToken word, string message) =>
            Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, File, Line, word.Column, message));
    }
}

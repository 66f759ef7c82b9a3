// KeyFileTarget: KeyFileParser.Parse over any text. Beyond "no exception": diagnostics pass
// DiagnosticChecks; every key has an id 1..65535, a secret of 1..32 octets and is found by
// TryGetKey; and the table written back as a keys file (ASCII or hex, the access list as
// address/prefix) parses without diagnostics to the same keys.
using System.Text;
using Stratum.Core.Auth;

namespace Stratum.Fuzz.Targets;

internal static class KeyFileTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        KeyFileParseResult result = KeyFileParser.Parse(text, "ntp.keys");
        DiagnosticChecks.CheckAll(result.Diagnostics, DiagnosticChecks.CountLines(text));
        FuzzInvariantException.Check(result.HasErrors == DiagnosticChecks.AnyError(result.Diagnostics), "HasErrors disagrees with the diagnostics");

        IReadOnlyList<SymmetricKey> keys = result.Keys.Keys;
        foreach (SymmetricKey key in keys)
        {
            FuzzInvariantException.Check(key.KeyId >= 1, "key id 0");
            FuzzInvariantException.Check(key.Secret.Length is >= 1 and <= KeyFileParser.MaxSecretLength, $"secret of {key.Secret.Length} octets");
            FuzzInvariantException.Check(result.Keys.TryGetKey(key.KeyId, out SymmetricKey? found) && ReferenceEquals(found, key), "TryGetKey does not find a listed key");
        }

        CheckRoundTrip(keys);
    }

    private static void CheckRoundTrip(IReadOnlyList<SymmetricKey> keys)
    {
        var written = new StringBuilder();
        foreach (SymmetricKey key in keys)
        {
            written.Append(key.KeyId).Append(' ').Append(KeyTypeNames.Name(key.Type)).Append(' ').Append(SecretText(key.Secret));
            for (int i = 0; i < key.AllowedSources.Count; i++)
            {
                KeyAccessEntry entry = key.AllowedSources[i];
                written.Append(i == 0 ? ' ' : ',').Append(entry.Address).Append('/').Append(entry.PrefixLength);
            }

            written.Append('\n');
        }

        KeyFileParseResult reread = KeyFileParser.Parse(written.ToString(), "rewritten");
        FuzzInvariantException.Check(reread.Diagnostics.Count == 0, $"rewritten keys file has diagnostics: {string.Join("; ", reread.Diagnostics)}");
        IReadOnlyList<SymmetricKey> again = reread.Keys.Keys;
        FuzzInvariantException.Check(again.Count == keys.Count, "rewritten keys file has a different number of keys");
        for (int i = 0; i < keys.Count; i++)
        {
            FuzzInvariantException.Check(
                again[i].KeyId == keys[i].KeyId && again[i].Type == keys[i].Type && again[i].Secret.SequenceEqual(keys[i].Secret)
                && again[i].AllowedSources.SequenceEqual(keys[i].AllowedSources),
                $"key {keys[i].KeyId} changes when written and read back");
        }
    }

    /// <summary>ASCII when short and printable (how the parser reads it back), else hex.</summary>
    private static string SecretText(ReadOnlySpan<byte> secret)
    {
        bool printable = secret.Length <= KeyFileParser.MaxAsciiKeyLength;
        foreach (byte b in secret)
        {
            printable &= b is > (byte)' ' and < 0x7f and not (byte)'#';
        }

        return printable ? Encoding.ASCII.GetString(secret) : Convert.ToHexStringLower(secret);
    }
}

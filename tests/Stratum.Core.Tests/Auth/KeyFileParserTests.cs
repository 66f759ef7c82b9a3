// KeyFileParser: the keys file as ntp-keygen writes it and admins edit it (ASCII and hex keys,
// types in any case, comments, access lists), and every diagnostic with its exact text.
using System.Net;
using System.Text;
using Stratum.Core.Auth;
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Auth;

public class KeyFileParserTests
{
    // The shape ntp-keygen -M writes: a comment header, MD5 ASCII keys and SHA1 hex keys.
    private const string KeygenStyleFile = """
        # ntpkey_MD5key_host.3912345678
        # Mon Dec  1 10:00:00 2025

         1 MD5 L";Nw<`.I<f4U0)247"i  # MD5 key
         2 MD5 &>l0%XXK9O'51VwV<xq~  # MD5 key
        11 SHA1 8a2c8b49b5f8a1a3e6e7f6b2d6dc0a0c3b2d4e5f  # SHA1 key
        12 sha1 8A2C8B49B5F8A1A3E6E7F6B2D6DC0A0C3B2D4E5F
        """;

    [Fact]
    public void Parse_KeygenStyleFile_ReadsEveryKeyWithoutDiagnostics()
    {
        KeyFileParseResult result = KeyFileParser.Parse(KeygenStyleFile, "ntp.keys");

        Assert.Empty(result.Diagnostics);
        Assert.Equal([1, 2, 11, 12], result.Keys.Keys.Select(k => (int)k.KeyId));
        Assert.True(result.Keys.TryGetKey(1, out SymmetricKey? ascii));
        Assert.Equal(KeyType.Md5, ascii.Type);
        Assert.Equal("L\";Nw<`.I<f4U0)247\"i", Encoding.ASCII.GetString(ascii.Secret));
        Assert.True(result.Keys.TryGetKey(11, out SymmetricKey? hex));
        Assert.Equal(KeyType.Sha1, hex.Type);
        Assert.Equal(Convert.FromHexString("8a2c8b49b5f8a1a3e6e7f6b2d6dc0a0c3b2d4e5f"), hex.Secret.ToArray());
        Assert.True(result.Keys.TryGetKey(12, out SymmetricKey? upper));
        Assert.Equal(hex.Secret.ToArray(), upper.Secret.ToArray());
    }

    [Theory]
    [InlineData("m", KeyType.Md5)]
    [InlineData("Md5", KeyType.Md5)]
    [InlineData("SHA1", KeyType.Sha1)]
    [InlineData("sha256", KeyType.Sha256)]
    [InlineData("SHA384", KeyType.Sha384)]
    [InlineData("Sha512", KeyType.Sha512)]
    [InlineData("aes128cmac", KeyType.Aes128Cmac)]
    public void Parse_TypeInAnyCase_IsRecognised(string typeWord, KeyType expected)
    {
        KeyFileParseResult result = KeyFileParser.Parse($"7 {typeWord} 00112233445566778899aabbccddeeff", "ntp.keys");

        Assert.False(result.HasErrors);
        Assert.True(result.Keys.TryGetKey(7, out SymmetricKey? key));
        Assert.Equal(expected, key.Type);
    }

    [Theory]
    // Exactly 20 characters is still ASCII, even when they all look like hex digits.
    [InlineData("0123456789abcdef0123", "0123456789abcdef0123")]
    // 22 characters: hex.
    [InlineData("0123456789abcdef012345", null)]
    [InlineData("x", "x")]
    public void Parse_KeyLength_DecidesAsciiOrHex(string keyText, string? asciiExpected)
    {
        KeyFileParseResult result = KeyFileParser.Parse($"5 MD5 {keyText}", "ntp.keys");

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Keys.TryGetKey(5, out SymmetricKey? key));
        byte[] expected = asciiExpected is null ? Convert.FromHexString(keyText) : Encoding.ASCII.GetBytes(asciiExpected);
        Assert.Equal(expected, key.Secret.ToArray());
    }

    [Fact]
    public void Parse_CommentTouchingKey_EndsTheKey()
    {
        KeyFileParseResult result = KeyFileParser.Parse("3 MD5 secret#not-part\r\n4\tSHA1\tabc # tabs", "ntp.keys");

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Keys.TryGetKey(3, out SymmetricKey? key));
        Assert.Equal("secret", Encoding.ASCII.GetString(key.Secret));
        Assert.True(result.Keys.TryGetKey(4, out SymmetricKey? tabbed));
        Assert.Equal("abc", Encoding.ASCII.GetString(tabbed.Secret));
    }

    [Fact]
    public void Parse_AccessList_ReadsHostsAndPrefixes()
    {
        KeyFileParseResult result = KeyFileParser.Parse("9 SHA256 key9 192.0.2.1,198.51.100.0/24,2001:db8::/32", "ntp.keys");

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Keys.TryGetKey(9, out SymmetricKey? key));
        Assert.Equal(
            [
                new KeyAccessEntry(IPAddress.Parse("192.0.2.1"), 32),
                new KeyAccessEntry(IPAddress.Parse("198.51.100.0"), 24),
                new KeyAccessEntry(IPAddress.Parse("2001:db8::"), 32),
            ],
            key.AllowedSources);
    }

    [Fact]
    public void Parse_ShortCmacKey_IsZeroExtendedWithAWarning()
    {
        KeyFileParseResult result = KeyFileParser.Parse("4 AES128CMAC short", "ntp.keys");

        Assert.Equal("ntp.keys:1:14: warning: AES128CMAC key 4 has 5 octets; it is zero-extended to 16", Assert.Single(result.Diagnostics).ToString());
        Assert.False(result.HasErrors);
        Assert.True(result.Keys.TryGetKey(4, out SymmetricKey? key));
        Assert.Equal([.. "short"u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], key.Secret.ToArray());
    }

    [Theory]
    [InlineData("0 MD5 abc", "ntp.keys:1:1: error: key id must be a number from 1 to 65535, not '0'")]
    [InlineData("65536 MD5 abc", "ntp.keys:1:1: error: key id must be a number from 1 to 65535, not '65536' (larger ids were reserved for Autokey)")]
    [InlineData("-1 MD5 abc", "ntp.keys:1:1: error: key id must be a number from 1 to 65535, not '-1'")]
    [InlineData("abc MD5 abc", "ntp.keys:1:1: error: key id must be a number from 1 to 65535, not 'abc'")]
    [InlineData("  12", "ntp.keys:1:3: error: key 12 has no type")]
    [InlineData("12 MD5   # no key", "ntp.keys:1:4: error: key 12 has no key after its type")]
    [InlineData("12 RMD160 abc", "ntp.keys:1:4: warning: unsupported key type 'RMD160' for key 12; the key is ignored")]
    [InlineData("12 MD5 ab\u0001c", "ntp.keys:1:8: error: key 12: a key of up to 20 characters is ASCII text and may hold only printable characters, not '\\x01'")]
    [InlineData("12 MD5 caf\u00e9", "ntp.keys:1:8: error: key 12: a key of up to 20 characters is ASCII text and may hold only printable characters, not '\u00e9'")]
    [InlineData("12 SHA1 0123456789abcdef0123456789abcdef012345678g", "ntp.keys:1:9: error: key 12: a key longer than 20 characters must be hex digits, not 'g'")]
    [InlineData("12 SHA1 0123456789abcdef0123456", "ntp.keys:1:9: error: key 12: a hex key needs an even number of digits, not 23")]
    [InlineData("12 SHA1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefab", "ntp.keys:1:9: error: key 12: a hex key has at most 64 digits (32 octets), not 66")]
    [InlineData("12 MD5 abc 10.0.0.256", "ntp.keys:1:12: error: bad address '10.0.0.256' in the access list of key 12")]
    [InlineData("12 MD5 abc 10.0.0.0/x", "ntp.keys:1:12: error: bad prefix length 'x' in the access list of key 12")]
    [InlineData("12 MD5 abc 10.0.0.0/33", "ntp.keys:1:12: warning: prefix length 33 of 10.0.0.0 in the access list of key 12 is above 32; 32 is used")]
    [InlineData("12 MD5 abc 10.0.0.1 extra", "ntp.keys:1:21: error: unexpected 'extra' after the access list of key 12")]
    [InlineData("12 MD5 abc\n12 MD5 xyz", "ntp.keys:2:1: error: key 12 is already defined at ntp.keys:1; this line is ignored")]
    public void Parse_BadLine_ReportsLineColumnAndProblem(string text, string expected)
    {
        KeyFileParseResult result = KeyFileParser.Parse(text, "ntp.keys");

        Assert.Equal(expected, Assert.Single(result.Diagnostics).ToString());
        Assert.Equal(expected.Contains(": error: ", StringComparison.Ordinal), result.HasErrors);
    }

    [Fact]
    public void Parse_DuplicateId_KeepsTheFirstSecret()
    {
        KeyFileParseResult result = KeyFileParser.Parse("12 MD5 first\n12 MD5 second", "ntp.keys");

        Assert.True(result.HasErrors);
        Assert.True(result.Keys.TryGetKey(12, out SymmetricKey? key));
        Assert.Equal("first", Encoding.ASCII.GetString(key.Secret));
    }

    [Fact]
    public void Parse_SeveralBadLines_ReportsAllInFileOrder()
    {
        KeyFileParseResult result = KeyFileParser.Parse("0 MD5 a\n1 MD5 good\n2\n3 SHA1 zz", "ntp.keys");

        Assert.Equal([1, 3], result.Diagnostics.Select(d => d.Line));
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal(2, result.Keys.Count);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(65536u)]
    [InlineData(99u)]
    public void TryGetKey_UnknownOrOutOfRangeId_IsFalse(uint keyId)
    {
        KeyTable table = KeyFileParser.Parse("1 MD5 a", "ntp.keys").Keys;

        Assert.False(table.TryGetKey(keyId, out _));
    }

    [Fact]
    public void SymmetricKey_ToString_NeverShowsTheSecret()
    {
        SymmetricKey key = KeyFileParser.Parse("1 MD5 hunter2", "ntp.keys").Keys.Keys[0];

        Assert.Equal("key 1 MD5", key.ToString());
    }
}

// NtsExtensionFields: the NTS extension fields of NTP packets (RFC 8915 §5): Unique Identifier (0x0104, at
// least 32 random bytes a response echoes), NTS Cookie (0x0204), NTS Cookie Placeholder (0x0304, asking
// for one more cookie, as long as a cookie) and NTS Authenticator and Encrypted Extension Fields (0x0404),
// which must be the last field: nonce length, ciphertext length, the nonce and the ciphertext, each padded
// to four bytes. The ciphertext is AES-SIV over the packet before the authenticator (associated data),
// keyed C2S for requests and S2C for responses, with the nonce; its plaintext is more extension fields (a
// server's new cookies). Reading finds the fields and checks their shape (typed failures); opening and
// sealing go through AesSiv. Nothing here allocates except the cookie arrays a client keeps.
using System.Buffers.Binary;
using Stratum.Core.Wire;

namespace Stratum.Core.Nts;

/// <summary>Why an NTS packet could not be used.</summary>
public enum NtsPacketFailure
{
    None = 0,
    /// <summary>Not an NTP packet with well-formed extension fields.</summary>
    Malformed,
    /// <summary>No Unique Identifier, or one shorter than 32 bytes.</summary>
    NoUniqueIdentifier,
    /// <summary>A request without exactly one cookie.</summary>
    NoCookie,
    /// <summary>No authenticator, one that is not the last field, or one whose lengths do not fit.</summary>
    BadAuthenticator,
    /// <summary>The AEAD tag did not verify.</summary>
    AuthenticationFailed,
    /// <summary>A response whose Unique Identifier is not the request's.</summary>
    WrongUniqueIdentifier,
}

/// <summary>Where the NTS fields of a packet are.</summary>
public readonly ref struct NtsFields
{
    public NtsFields(ReadOnlySpan<byte> uniqueIdentifier, ReadOnlySpan<byte> cookie, int placeholders, int placeholderLength, int authenticatorOffset,
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext)
    {
        UniqueIdentifier = uniqueIdentifier;
        Cookie = cookie;
        Placeholders = placeholders;
        PlaceholderLength = placeholderLength;
        AuthenticatorOffset = authenticatorOffset;
        Nonce = nonce;
        Ciphertext = ciphertext;
    }

    public ReadOnlySpan<byte> UniqueIdentifier { get; }

    /// <summary>The cookie of a request (empty in a response).</summary>
    public ReadOnlySpan<byte> Cookie { get; }

    /// <summary>Cookie placeholders in a request, and the body length of the first.</summary>
    public int Placeholders { get; }

    public int PlaceholderLength { get; }

    /// <summary>Where the authenticator field starts: the associated data is the packet before it.</summary>
    public int AuthenticatorOffset { get; }

    public ReadOnlySpan<byte> Nonce { get; }

    public ReadOnlySpan<byte> Ciphertext { get; }
}

/// <summary>Reads and writes the NTS extension fields.</summary>
public static class NtsExtensionFields
{
    public const ushort UniqueIdentifierType = 0x0104;
    public const ushort CookieType = 0x0204;
    public const ushort CookiePlaceholderType = 0x0304;
    public const ushort AuthenticatorType = 0x0404;

    /// <summary>The Unique Identifier's length here (RFC 8915 §5.3: at least 32 bytes).</summary>
    public const int UniqueIdentifierLength = 32;

    /// <summary>The nonce length used when sealing (AES-SIV takes any; 16 as chrony and NTPsec send).</summary>
    public const int NonceLength = 16;

    /// <summary>Finds the NTS fields of <paramref name="packet"/> (an NTP header and extension fields, no legacy MAC).</summary>
    /// <param name="isRequest">A request must carry exactly one cookie; a response none.</param>
    public static NtsPacketFailure TryRead(ReadOnlySpan<byte> packet, bool isRequest, out NtsFields fields)
    {
        fields = default;
        if (packet.Length < NtpHeader.Size + ExtensionField.MinLength || (packet.Length & 3) != 0)
        {
            return NtsPacketFailure.Malformed;
        }

        ReadOnlySpan<byte> uniqueIdentifier = default, cookie = default;
        int cookies = 0, placeholders = 0, placeholderLength = 0, authenticatorOffset = -1;
        int offset = NtpHeader.Size;
        while (offset < packet.Length)
        {
            if (packet.Length - offset < 4)
            {
                return NtsPacketFailure.Malformed;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            if (length < ExtensionField.MinLength || (length & 3) != 0 || length > packet.Length - offset)
            {
                return NtsPacketFailure.Malformed;
            }

            if (authenticatorOffset >= 0)
            {
                // Nothing may follow the authenticator (RFC 8915 §5.6).
                return NtsPacketFailure.BadAuthenticator;
            }

            ReadOnlySpan<byte> body = packet.Slice(offset + 4, length - 4);
            switch (type)
            {
                case UniqueIdentifierType:
                    uniqueIdentifier = body;
                    break;
                case CookieType:
                    cookies++;
                    cookie = body;
                    break;
                case CookiePlaceholderType:
                    placeholderLength = placeholders++ == 0 ? body.Length : placeholderLength;
                    break;
                case AuthenticatorType:
                    authenticatorOffset = offset;
                    break;
            }

            offset += length;
        }

        if (uniqueIdentifier.Length < UniqueIdentifierLength)
        {
            return NtsPacketFailure.NoUniqueIdentifier;
        }

        if (isRequest ? cookies != 1 : cookies != 0)
        {
            return NtsPacketFailure.NoCookie;
        }

        if (authenticatorOffset < 0 || !TryReadAuthenticator(packet[(authenticatorOffset + 4)..], out ReadOnlySpan<byte> nonce, out ReadOnlySpan<byte> ciphertext))
        {
            return NtsPacketFailure.BadAuthenticator;
        }

        fields = new NtsFields(uniqueIdentifier, cookie, placeholders, placeholderLength, authenticatorOffset, nonce, ciphertext);
        return NtsPacketFailure.None;
    }

    /// <summary>Opens the authenticator of a packet read by <see cref="TryRead"/> with <paramref name="key"/> (C2S for a
    /// request, S2C for a response); the plaintext (encrypted extension fields) goes into <paramref name="plaintext"/>.</summary>
    public static NtsPacketFailure TryOpen(ReadOnlySpan<byte> packet, scoped in NtsFields fields, AesSiv key, Span<byte> plaintext, out int plaintextLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        plaintextLength = Math.Max(0, fields.Ciphertext.Length - AesSiv.TagSize);
        if (fields.Ciphertext.Length < AesSiv.TagSize || plaintext.Length < plaintextLength)
        {
            return NtsPacketFailure.BadAuthenticator;
        }

        return key.TryOpen(SivComponents.Of(packet[..fields.AuthenticatorOffset], fields.Nonce), fields.Ciphertext, plaintext)
            ? NtsPacketFailure.None
            : NtsPacketFailure.AuthenticationFailed;
    }

    /// <summary>Appends a Unique Identifier, a cookie and <paramref name="placeholders"/> placeholders (as long as the
    /// cookie) after the 48-byte header in <paramref name="packet"/>, then the authenticator sealed with the C2S key;
    /// returns the packet's length.</summary>
    public static int WriteRequest(Span<byte> packet, ReadOnlySpan<byte> uniqueIdentifier, ReadOnlySpan<byte> cookie, int placeholders, AesSiv c2s,
        ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(c2s);
        int length = NtpHeader.Size;
        length += Field(UniqueIdentifierType, uniqueIdentifier, packet[length..]);
        length += Field(CookieType, cookie, packet[length..]);
        Span<byte> zeros = stackalloc byte[cookie.Length];
        zeros.Clear();
        for (int i = 0; i < placeholders; i++)
        {
            length += Field(CookiePlaceholderType, zeros, packet[length..]);
        }

        return length + WriteAuthenticator(packet, length, ReadOnlySpan<byte>.Empty, c2s, nonce);
    }

    /// <summary>Appends the request's Unique Identifier after the 48-byte header, then the authenticator sealed with the
    /// S2C key over <paramref name="encryptedFields"/> (the new cookies as NTS Cookie fields); returns the length.</summary>
    public static int WriteResponse(Span<byte> packet, ReadOnlySpan<byte> uniqueIdentifier, ReadOnlySpan<byte> encryptedFields, AesSiv s2c,
        ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(s2c);
        int length = NtpHeader.Size + Field(UniqueIdentifierType, uniqueIdentifier, packet[NtpHeader.Size..]);
        return length + WriteAuthenticator(packet, length, encryptedFields, s2c, nonce);
    }

    /// <summary>Writes NTS Cookie fields for <paramref name="cookies"/> (the plaintext of a response's authenticator); returns the length.</summary>
    public static int WriteCookieFields(IReadOnlyList<byte[]> cookies, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(cookies);
        int length = 0;
        foreach (byte[] cookie in cookies)
        {
            length += Field(CookieType, cookie, destination[length..]);
        }

        return length;
    }

    /// <summary>The cookies among decrypted extension fields (a response's plaintext); other fields are skipped.</summary>
    public static List<byte[]> ReadCookieFields(ReadOnlySpan<byte> fields)
    {
        var cookies = new List<byte[]>();
        int offset = 0;
        while (fields.Length - offset >= 4)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(fields[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(fields[(offset + 2)..]);
            if (length < 4 || (length & 3) != 0 || length > fields.Length - offset)
            {
                break;
            }

            if (type == CookieType)
            {
                cookies.Add(fields.Slice(offset + 4, length - 4).ToArray());
            }

            offset += length;
        }

        return cookies;
    }

    // An extension field, padded to four bytes (the NTS fields need not reach 16 bytes, but every one here does).
    private static int Field(ushort type, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        int written = ExtensionField.Write(type, body, destination);
        return written > 0 ? written : throw new ArgumentException("the packet buffer is too small", nameof(destination));
    }

    // The authenticator at <paramref name="offset"/>: nonce and ciphertext lengths, nonce, AES-SIV(AD = packet before it, nonce, plaintext).
    private static int WriteAuthenticator(Span<byte> packet, int offset, ReadOnlySpan<byte> plaintext, AesSiv key, ReadOnlySpan<byte> nonce)
    {
        int nonceSpace = (nonce.Length + 3) & ~3;
        int ciphertextLength = AesSiv.SealedLength(plaintext.Length);
        int ciphertextSpace = (ciphertextLength + 3) & ~3;
        int length = Math.Max(ExtensionField.MinLength, 4 + 4 + nonceSpace + ciphertextSpace);
        Span<byte> field = packet.Slice(offset, length);
        field.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(field, AuthenticatorType);
        BinaryPrimitives.WriteUInt16BigEndian(field[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(field[4..], (ushort)nonce.Length);
        BinaryPrimitives.WriteUInt16BigEndian(field[6..], (ushort)ciphertextLength);
        nonce.CopyTo(field[8..]);
        key.Seal(SivComponents.Of(packet[..offset], nonce), plaintext, field.Slice(8 + nonceSpace, ciphertextLength));
        return length;
    }

    private static bool TryReadAuthenticator(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> nonce, out ReadOnlySpan<byte> ciphertext)
    {
        nonce = default;
        ciphertext = default;
        if (body.Length < 4)
        {
            return false;
        }

        int nonceLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        int ciphertextLength = BinaryPrimitives.ReadUInt16BigEndian(body[2..]);
        int nonceSpace = (nonceLength + 3) & ~3;
        int ciphertextSpace = (ciphertextLength + 3) & ~3;
        if (nonceLength == 0 || ciphertextLength < AesSiv.TagSize || 4 + nonceSpace + ciphertextSpace > body.Length)
        {
            return false;
        }

        nonce = body.Slice(4, nonceLength);
        ciphertext = body.Slice(4 + nonceSpace, ciphertextLength);
        return true;
    }
}

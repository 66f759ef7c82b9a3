// ControlNonce: the nonce of ntpd 4.2.8's mrulist handshake (ntp_control.c REQ_NONCE and
// READ_MRU). A client first asks for a nonce and must echo it in every READ_MRU request, which
// proves it receives what is sent to its source address and port, so a spoofed source cannot
// draw the (large) MRU answer onto a victim. The nonce is 24 hex digits, as ntpd's
// "%08x%08x%08x": the issue time and a 32-bit keyed hash of that time, the client's address and
// its port. Checking it needs no per-client state; it is accepted for 16 s, as ntpd accepts it.
// The key is 32 bytes from the injected random source (a CSPRNG in ntpd), drawn at the first
// use and replaced every hour (ntpd's salt lifetime); the previous key still validates, so a
// nonce issued just before a change stays good for its 16 s.
// Deviation: ntpd puts the receive time (system clock) in the nonce; Stratum puts the monotonic
// time, so a clock step can neither expire outstanding nonces nor stretch their life. The hash is
// HMAC-SHA256 truncated to 32 bits where ntpd uses MD5 over salt|time|address|port|salt.
// Without a random source (tests, simulations) the key is a fixed constant.
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

/// <summary>Issues and checks mrulist nonces. Loop thread only.</summary>
internal sealed class ControlNonce
{
    /// <summary>Hex digits of a nonce: 16 for the time, 8 for the hash.</summary>
    public const int TextLength = 24;

    /// <summary>How long a nonce is accepted (ntpd: less than 16 s).</summary>
    public const long LifetimeNanoseconds = 16 * LoopTime.NanosecondsPerSecond;

    /// <summary>How long one key is used (ntpd renews its salt hourly).</summary>
    public const long KeyLifetimeNanoseconds = 3600 * LoopTime.NanosecondsPerSecond;

    private const int KeyLength = 32;
    private const int MessageLength = 1 + 16 + 2 + 8;

    private readonly IRandomSource? _random;
    private readonly byte[] _key = new byte[KeyLength];
    private readonly byte[] _previousKey = new byte[KeyLength];
    private bool _hasKey;
    private bool _hasPreviousKey;
    private long _keyCreatedMono;

    /// <param name="random">Source of the secret key; null uses a fixed key (tests only).</param>
    public ControlNonce(IRandomSource? random) => _random = random;

    /// <summary>A fresh nonce for <paramref name="client"/>, as 24 hex digits.</summary>
    public string Issue(in ClientAddress client, LoopTime now)
    {
        RenewKey(now.Mono);
        ulong issued = unchecked((ulong)now.Mono);
        uint tag = Tag(_key, client, issued);
        return string.Create(CultureInfo.InvariantCulture, $"{issued:x16}{tag:x8}");
    }

    /// <summary>True when <paramref name="text"/> is a nonce this server issued to <paramref name="client"/> less than 16 s ago.</summary>
    public bool IsValid(ReadOnlySpan<byte> text, in ClientAddress client, LoopTime now)
    {
        if (text.Length != TextLength
            || !TryParseHex(text[..16], out ulong issued)
            || !TryParseHex(text[16..], out ulong claimed))
        {
            return false;
        }

        long age = now.Mono - unchecked((long)issued);
        if (age < 0 || age >= LifetimeNanoseconds || !_hasKey)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[4];
        Span<byte> received = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(received, (uint)claimed);
        BinaryPrimitives.WriteUInt32BigEndian(expected, Tag(_key, client, issued));
        if (CryptographicOperations.FixedTimeEquals(expected, received))
        {
            return true;
        }

        if (!_hasPreviousKey)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(expected, Tag(_previousKey, client, issued));
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    private void RenewKey(long nowMono)
    {
        if (_hasKey && nowMono - _keyCreatedMono < KeyLifetimeNanoseconds)
        {
            return;
        }

        if (_hasKey)
        {
            _key.CopyTo(_previousKey, 0);
            _hasPreviousKey = true;
        }

        for (int i = 0; i < KeyLength; i += 8)
        {
            ulong word = _random is null ? 0x9E3779B97F4A7C15UL * (ulong)(i + 1) : _random.NextUInt64();
            BinaryPrimitives.WriteUInt64LittleEndian(_key.AsSpan(i), word);
        }

        _hasKey = true;
        _keyCreatedMono = nowMono;
    }

    private static uint Tag(byte[] key, in ClientAddress client, ulong issued)
    {
        Span<byte> message = stackalloc byte[MessageLength];
        message[0] = (byte)client.Family;
        BinaryPrimitives.WriteUInt128BigEndian(message[1..], client.Value);
        BinaryPrimitives.WriteUInt16BigEndian(message[17..], client.Port);
        BinaryPrimitives.WriteUInt64BigEndian(message[19..], issued);
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, message, digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    private static bool TryParseHex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        foreach (byte digit in digits)
        {
            int nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        return true;
    }
}

// ControlNonce: the nonce of ntpd 4.2.8's mrulist handshake (ntp_control.c REQ_NONCE and
// READ_MRU). A client first asks for a nonce and must echo it in every READ_MRU request, which
// proves it receives what is sent to its source address and port, so a spoofed source cannot
// draw the (large) MRU answer onto a victim. The nonce is 24 hex digits (96 bits), as ntpd's
// "%08x%08x%08x", and reveals nothing: not the time, not the uptime, not the key. It is made of
//   - a 1-s time slot (monotonic seconds): the nonce is the same for one client within one slot;
//   - a tag: HMAC-SHA256(key, client address, port, slot) cut to 88 bits (22 digits);
//   - a hint (2 digits): the slot's low 8 bits XORed with a pad, HMAC-SHA256(key, address, port)'s
//     first octet. The pad is secret and differs per client and key, so the hint shows nothing of the
//     slot; it lets the check find the issuing slot with one HMAC instead of trying all 16.
// Checking needs no per-client state: the hint gives the newest slot with those low bits, which must
// be at most 15 slots old, and the tag must match. So a nonce is accepted for more than 15 s and
// never 16 s or more (ntpd: less than 16 s).
// The key is 32 bytes from the injected random source (a CSPRNG in ntpd), drawn at the first use and
// replaced every hour (ntpd's salt lifetime); the previous key still validates, so a nonce issued
// just before a change stays good for its lifetime.
// Deviation: ntpd's nonce carries the receive time (system clock) in clear, which tells anyone who
// asks the server's clock reading; Stratum's carries no time at all, and its slots count monotonic
// seconds, so a clock step can neither expire outstanding nonces nor stretch their life. The hash is
// HMAC-SHA256 where ntpd uses MD5 over salt|time|address|port|salt.
// Without a random source (tests, simulations) the key is a fixed constant.
using System.Buffers.Binary;
using System.Security.Cryptography;
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

/// <summary>Issues and checks mrulist nonces. Loop thread only.</summary>
internal sealed class ControlNonce
{
    /// <summary>Hex digits of a nonce: 2 for the hint, 22 for the tag.</summary>
    public const int TextLength = 24;

    /// <summary>Length of a time slot.</summary>
    public const long SlotNanoseconds = LoopTime.NanosecondsPerSecond;

    /// <summary>How many slots after its own a nonce is still accepted: 15, so its lifetime is more
    /// than 15 s and less than 16 s (ntpd: less than 16 s).</summary>
    public const long LifetimeSlots = 15;

    /// <summary>How long one key is used (ntpd renews its salt hourly).</summary>
    public const long KeyLifetimeNanoseconds = 3600 * LoopTime.NanosecondsPerSecond;

    private const int KeyLength = 32;
    private const int TagLength = 11;
    private const int AddressLength = 1 + 16 + 2;
    private const byte PadDomain = 0x50;
    private const byte TagDomain = 0x54;

    private readonly IRandomSource? _random;
    private readonly byte[] _key = new byte[KeyLength];
    private readonly byte[] _previousKey = new byte[KeyLength];
    private bool _hasKey;
    private bool _hasPreviousKey;
    private long _keyCreatedMono;

    /// <param name="random">Source of the secret key; null uses a fixed key (tests only).</param>
    public ControlNonce(IRandomSource? random) => _random = random;

    /// <summary>The nonce for <paramref name="client"/> now, as 24 hex digits.</summary>
    public string Issue(in ClientAddress client, LoopTime now)
    {
        RenewKey(now.Mono);
        long slot = SlotOf(now.Mono);
        Span<byte> nonce = stackalloc byte[1 + TagLength];
        nonce[0] = (byte)(slot ^ Pad(_key, client));
        Tag(_key, client, slot, nonce[1..]);
        return Convert.ToHexStringLower(nonce);
    }

    /// <summary>True when <paramref name="text"/> is a nonce this server issued to <paramref name="client"/>
    /// less than <see cref="LifetimeSlots"/> + 1 slots ago.</summary>
    public bool IsValid(ReadOnlySpan<byte> text, in ClientAddress client, LoopTime now)
    {
        Span<byte> received = stackalloc byte[1 + TagLength];
        if (!_hasKey || text.Length != TextLength || !TryParseHex(text, received))
        {
            return false;
        }

        long nowSlot = SlotOf(now.Mono);
        return Matches(_key, received, client, nowSlot) || (_hasPreviousKey && Matches(_previousKey, received, client, nowSlot));
    }

    private static bool Matches(byte[] key, ReadOnlySpan<byte> received, in ClientAddress client, long nowSlot)
    {
        // The newest slot, not after now, whose low 8 bits the hint carries.
        byte low = (byte)(received[0] ^ Pad(key, client));
        long slot = nowSlot - (byte)(nowSlot - low);
        if (slot < 0 || nowSlot - slot > LifetimeSlots)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TagLength];
        Tag(key, client, slot, expected);
        return CryptographicOperations.FixedTimeEquals(expected, received[1..]);
    }

    private static long SlotOf(long mono) => mono / SlotNanoseconds;

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

    /// <summary>The client's secret pad for the hint: the first octet of HMAC(key, 'P' | address | port).</summary>
    private static byte Pad(byte[] key, in ClientAddress client)
    {
        Span<byte> message = stackalloc byte[1 + AddressLength];
        message[0] = PadDomain;
        WriteAddress(client, message[1..]);
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, message, digest);
        return digest[0];
    }

    /// <summary>HMAC(key, 'T' | address | port | slot) cut to <see cref="TagLength"/> octets.</summary>
    private static void Tag(byte[] key, in ClientAddress client, long slot, Span<byte> tag)
    {
        Span<byte> message = stackalloc byte[1 + AddressLength + 8];
        message[0] = TagDomain;
        WriteAddress(client, message[1..]);
        BinaryPrimitives.WriteInt64BigEndian(message[(1 + AddressLength)..], slot);
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, message, digest);
        digest[..TagLength].CopyTo(tag);
    }

    private static void WriteAddress(in ClientAddress client, Span<byte> destination)
    {
        destination[0] = (byte)client.Family;
        BinaryPrimitives.WriteUInt128BigEndian(destination[1..], client.Value);
        BinaryPrimitives.WriteUInt16BigEndian(destination[17..], client.Port);
    }

    private static bool TryParseHex(ReadOnlySpan<byte> digits, Span<byte> octets)
    {
        for (int i = 0; i < octets.Length; i++)
        {
            int high = Nibble(digits[2 * i]);
            int low = Nibble(digits[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            octets[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int Nibble(byte digit) => digit switch
    {
        >= (byte)'0' and <= (byte)'9' => digit - '0',
        >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
        _ => -1,
    };
}

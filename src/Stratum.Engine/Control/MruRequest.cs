// MruRequest: the parameters of a READ_MRU request (ntpd 4.2.8 ntp_control.c read_mru_list):
// "nonce=<24 hex>, frags=N | limit=N, mincount=N, resall=0xH, resany=0xH, maxlstint=N,
// laddr=ADDR, last.0=0xSSSSSSSS.FFFFFFFF, addr.0=ADDR[:PORT], last.1=…, addr.1=…" (up to 16
// pairs: the newest entries the client already holds, newest first). Values are read as ntpd's
// sscanf formats read them (decimal, 0x-prefixed hex, hex l_fp, addresses with optional port,
// IPv6 in brackets when a port follows). Unknown names and pair indexes above 15 are ignored, as
// ntpd ignores them. A value that does not parse makes the whole request malformed: ntpd then
// sends nothing, and so does the responder. The instance is reused by the responder: parsing
// allocates only for addresses (IPEndPoint), which stay off the time-serving path.
using System.Net;
using System.Text;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

/// <summary>Why a READ_MRU request cannot be answered.</summary>
internal enum MruRequestError
{
    None = 0,
    /// <summary>No nonce, or an empty one: ntpd answers nothing.</summary>
    MissingNonce,
    /// <summary>A known parameter with a value that does not parse: ntpd answers nothing.</summary>
    Malformed,
}

/// <summary>Parsed READ_MRU parameters. Loop thread only.</summary>
internal sealed class MruRequest
{
    /// <summary>Most last.N/addr.N pairs ntpd reads (its last[16]).</summary>
    public const int MaxPriors = 16;

    private readonly byte[] _nonce = new byte[ControlNonce.TextLength];
    private readonly ClientAddress[] _priorAddresses = new ClientAddress[MaxPriors];
    private readonly NtpTimestamp[] _priorLast = new NtpTimestamp[MaxPriors];
    private int _nonceLength;
    private int _addressesGiven;
    private int _lastGiven;

    /// <summary>The echoed nonce (empty when longer than any nonce this server issues).</summary>
    public ReadOnlySpan<byte> Nonce => _nonce.AsSpan(0, _nonceLength);

    /// <summary>frags=: most datagrams in the answer (0: not given).</summary>
    public int Frags { get; private set; }

    /// <summary>limit=: most entries in the answer (0: not given).</summary>
    public uint Limit { get; private set; }

    /// <summary>mincount=: only entries seen at least this often.</summary>
    public int MinCount { get; private set; }

    /// <summary>resall=: ntpd RES_* bits that must all be set.</summary>
    public ushort ResAll { get; private set; }

    /// <summary>resany=: ntpd RES_* bits of which one must be set.</summary>
    public ushort ResAny { get; private set; }

    /// <summary>maxlstint=: only entries heard from within this many seconds (0: all).</summary>
    public uint MaxLastInterval { get; private set; }

    /// <summary>laddr=: the local address the entries must have arrived on, if given.</summary>
    public ClientAddress? LocalAddress { get; private set; }

    /// <summary>Leading pairs (0, 1, …) with both last.N and addr.N: the client's continuation point.</summary>
    public int PriorCount { get; private set; }

    public ClientAddress PriorAddress(int index) => _priorAddresses[index];

    public NtpTimestamp PriorLast(int index) => _priorLast[index];

    /// <summary>Reads a request's data; on an error the other properties are meaningless.</summary>
    public MruRequestError Parse(ReadOnlySpan<byte> data)
    {
        Reset();
        bool haveNonce = false;
        var reader = new ControlVariableReader(data);
        while (reader.TryReadNext(out ControlVariable variable))
        {
            ReadOnlySpan<byte> name = variable.Name;
            ReadOnlySpan<byte> value = variable.Value;
            bool parsed = true;
            if (name.SequenceEqual("nonce"u8))
            {
                haveNonce = !value.IsEmpty;
                _nonceLength = value.Length <= _nonce.Length ? value.Length : 0;
                value[.._nonceLength].CopyTo(_nonce);
            }
            else if (name.SequenceEqual("frags"u8))
            {
                parsed = TryParseDecimal(value, ushort.MaxValue, out ulong frags);
                Frags = (int)frags;
            }
            else if (name.SequenceEqual("limit"u8))
            {
                parsed = TryParseDecimal(value, uint.MaxValue, out ulong limit);
                Limit = (uint)limit;
            }
            else if (name.SequenceEqual("mincount"u8))
            {
                bool negative = !value.IsEmpty && value[0] == (byte)'-';
                parsed = TryParseDecimal(negative ? value[1..] : value, int.MaxValue, out ulong count);
                MinCount = negative ? 0 : (int)count;
            }
            else if (name.SequenceEqual("resall"u8) || name.SequenceEqual("resany"u8))
            {
                parsed = TryParseHex(value, out ushort bits);
                if (name[3] == (byte)'a' && name[4] == (byte)'l')
                {
                    ResAll = bits;
                }
                else
                {
                    ResAny = bits;
                }
            }
            else if (name.SequenceEqual("maxlstint"u8))
            {
                parsed = TryParseDecimal(value, uint.MaxValue, out ulong seconds);
                MaxLastInterval = (uint)seconds;
            }
            else if (name.SequenceEqual("laddr"u8))
            {
                parsed = TryParseAddress(value, out ClientAddress local);
                LocalAddress = local;
            }
            else if (TryPairIndex(name, "last."u8, out int lastIndex))
            {
                parsed = TryParseTimestamp(value, out _priorLast[lastIndex]);
                _lastGiven |= 1 << lastIndex;
            }
            else if (TryPairIndex(name, "addr."u8, out int addressIndex))
            {
                parsed = TryParseAddress(value, out _priorAddresses[addressIndex]);
                _addressesGiven |= 1 << addressIndex;
            }

            if (!parsed)
            {
                return MruRequestError.Malformed;
            }
        }

        if (!haveNonce)
        {
            return MruRequestError.MissingNonce;
        }

        int both = _lastGiven & _addressesGiven;
        while (PriorCount < MaxPriors && (both & (1 << PriorCount)) != 0)
        {
            PriorCount++;
        }

        return MruRequestError.None;
    }

    private void Reset()
    {
        _nonceLength = 0;
        _addressesGiven = 0;
        _lastGiven = 0;
        Frags = 0;
        Limit = 0;
        MinCount = 0;
        ResAll = 0;
        ResAny = 0;
        MaxLastInterval = 0;
        LocalAddress = null;
        PriorCount = 0;
    }

    /// <summary>"last.7" → 7 for indexes 0..15; false for another name or index.</summary>
    private static bool TryPairIndex(ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix, out int index)
    {
        index = 0;
        if (!name.StartsWith(prefix) || !TryParseDecimal(name[prefix.Length..], MaxPriors - 1, out ulong value))
        {
            return false;
        }

        index = (int)value;
        return true;
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> text, ulong max, out ulong value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 20)
        {
            return false;
        }

        foreach (byte digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (ulong)(digit - '0');
            if (value > max)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"0x" and 1 to 4 hex digits (ntpd "0x%hx").</summary>
    private static bool TryParseHex(ReadOnlySpan<byte> text, out ushort value)
    {
        value = 0;
        if (text.Length is < 3 or > 6 || text[0] != (byte)'0' || (text[1] | 0x20) != (byte)'x')
        {
            return false;
        }

        ulong bits = 0;
        foreach (byte digit in text[2..])
        {
            int nibble = HexValue(digit);
            if (nibble < 0)
            {
                return false;
            }

            bits = (bits << 4) | (uint)nibble;
        }

        value = (ushort)bits;
        return true;
    }

    /// <summary>"0x" + 8 hex digits + "." + 8 hex digits (ntpd "0x%08x.%08x").</summary>
    private static bool TryParseTimestamp(ReadOnlySpan<byte> text, out NtpTimestamp value)
    {
        value = default;
        if (text.Length != 19 || text[0] != (byte)'0' || (text[1] | 0x20) != (byte)'x' || text[10] != (byte)'.')
        {
            return false;
        }

        ulong raw = 0;
        for (int i = 2; i < text.Length; i++)
        {
            if (i == 10)
            {
                continue;
            }

            int nibble = HexValue(text[i]);
            if (nibble < 0)
            {
                return false;
            }

            raw = (raw << 4) | (uint)nibble;
        }

        value = new NtpTimestamp(raw);
        return true;
    }

    private static int HexValue(byte digit) => digit switch
    {
        >= (byte)'0' and <= (byte)'9' => digit - '0',
        >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
        _ => -1,
    };

    /// <summary>"192.0.2.1", "192.0.2.1:123", "2001:db8::1" or "[2001:db8::1]:123" (ntpd decodenetnum).</summary>
    internal static bool TryParseAddress(ReadOnlySpan<byte> text, out ClientAddress address)
    {
        address = default;
        if (text.IsEmpty || text.Length > 64 || !Ascii.IsValid(text))
        {
            return false;
        }

        Span<char> characters = stackalloc char[text.Length];
        Ascii.ToUtf16(text, characters, out int written);
        if (!IPEndPoint.TryParse(characters[..written], out IPEndPoint? endpoint))
        {
            return false;
        }

        address = ClientAddress.From(endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address, endpoint.Port);
        return true;
    }
}

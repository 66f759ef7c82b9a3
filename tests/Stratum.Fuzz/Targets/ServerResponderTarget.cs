// ServerResponderTarget ("server"): a sequence of time requests (mode 3, and whatever else the
// fuzzer makes of the first octet; modes 6 and 7 are turned into 3 so every datagram stays on the
// time server path) through NtpEngine.OnDatagram to the restrict list, MRU list, rate limits and
// ServerResponder of a warmed-up EngineFixture. Rate-limit and KoD state carries from one request
// to the next.
// Input: up to 24 records, each: a client octet (bits 0-2: which fixture client; bits 3-4: time
// before it: none, 0.1 s, 2 s, 100 s; bit 5: ask as an RFC 9769 interleaved client, the harness
// writing the last reply's receive timestamp as origin and a receive field of its own), a MAC octet (MacChoice: the harness signs the request with
// MD5, SHA1, AES-CMAC, an untrusted or access-listed key, corrupts it, uses an unknown key id,
// appends a crypto-NAK, or leaves it as sent), then a length octet and the request.
// Invariants beyond "no exception", for each request:
// - the outcome is Reply (48 octets, or 52 with a crypto-NAK), Kod (48) or Dropped (nothing);
// - a reply is signed (ReplyKey) exactly when the request's MAC verifies with a key trusted for the
//   source, and carries a crypto-NAK exactly when the request had a MAC that does not;
// - the reply with its MAC is never longer than the request (no amplification);
// - a reply reads back as an NTP packet answering the request: mode 4 to a client, 2 to a
//   symmetric peer or an NTPv1 request; the request's version and poll; origin = its transmit
//   timestamp; receive = the receive time with its lowest bit set; transmit left zero for the host;
//   our stratum; or, to an RFC 9769 interleaved client whose earlier reply's stamp the harness
//   recorded, origin = the request's receive field and transmit = that stamp;
// - a KoD is a RATE kiss with leap 3, stratum 0, and origin, receive and transmit all the request's
//   transmit timestamp (it tells nothing of our clock);
// - restrict: source port 0 and `noserve` are never answered, `notrust` only when authenticated,
//   `version` only NTPv4; only a `limited` source is rate limited, and only a `kod` one kissed;
// - the server counts each datagram once, and the MRU list stays within its capacity.
using System.Buffers.Binary;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Server;

namespace Stratum.Fuzz.Targets;

internal static class ServerResponderTarget
{
    private const int MaxRecords = 24;

    /// <summary>The host's receive and reply buffers hold a maximal NTP packet.</summary>
    private const int ReplyBufferLength = NtpPacket.MaxLength;

    private static readonly long[] s_waits = [0, LoopTime.NanosecondsPerSecond / 10, 2 * LoopTime.NanosecondsPerSecond, 100 * LoopTime.NanosecondsPerSecond];
    private static readonly ReferenceId s_rate = ReferenceId.FromAscii("RATE");

    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInputReader(input);
        EngineFixture fixture = EngineFixture.Create();
        var reply = new byte[ReplyBufferLength];
        ulong lastReceive = 0;
        for (int record = 0; record < MaxRecords && !reader.IsAtEnd; record++)
        {
            byte clientOption = reader.ReadByte();
            MacChoice mac = MacSigner.Choice(reader.ReadByte());
            ReadOnlySpan<byte> datagram = reader.ReadRecord();
            byte[] unsigned = datagram.ToArray();
            if (unsigned.Length > 0 && (unsigned[0] & 7) is 6 or 7)
            {
                unsigned[0] = (byte)((unsigned[0] & 0xF8) | 3);
            }

            if ((clientOption & 0x20) != 0 && unsigned.Length >= NtpHeader.Size && lastReceive != 0)
            {
                BinaryPrimitives.WriteUInt64BigEndian(unsigned.AsSpan(NtpHeader.OriginTimeOffset), lastReceive);
                BinaryPrimitives.WriteUInt64BigEndian(unsigned.AsSpan(NtpHeader.ReceiveTimeOffset), lastReceive + 0x10000);
            }

            fixture.Advance(s_waits[(clientOption >> 3) & 3]);
            byte[] request = MacSigner.SignPacket(unsigned, mac);
            if (CheckOne(fixture, EngineFixture.Clients[clientOption & 7], request, reply) is { } received)
            {
                lastReceive = received;
            }
        }

        MruList mru = fixture.Engine.Server.Access!.Mru;
        FuzzInvariantException.Check(mru.Count <= mru.Capacity, $"MRU list holds {mru.Count} entries, capacity {mru.Capacity}");
    }

    // Checks one request's outcome; returns the reply's receive timestamp (raw) when there was a reply.
    private static ulong? CheckOne(EngineFixture fixture, in ClientAddress client, byte[] request, byte[] replyBuffer)
    {
        ServerCounters counters = fixture.Engine.Server.Counters;
        long received = counters.Received;
        Array.Clear(replyBuffer);
        DatagramResult result = fixture.SendToServer(client, request, replyBuffer);
        FuzzInvariantException.Check(counters.Received == received + 1, $"the server counted {counters.Received - received} datagrams for one");
        if (result.TransmitCaptureKey != 0)
        {
            // The host reads the kernel's stamp of this reply back (here: 50 µs after its arrival).
            fixture.Engine.Server.Interleaved.Record(result.TransmitCaptureKey, (fixture.Now.Real + NtpDuration.FromSeconds(50e-6)).Raw & ~1UL);
        }

        FuzzInvariantException.Check(fixture.Actions.Answers.Count == 0, "a time request drew a mode 6/7 answer");
        ReadOnlySpan<byte> reply = replyBuffer.AsSpan(0, result.ReplyLength);
        RestrictFlags flags = fixture.Engine.Server.Access!.Restrictions.Match(client).Flags;
        bool parsed = NtpPacket.TryRead(request, out NtpPacket packet, out _);
        SymmetricKey? expectedKey = parsed ? AuthenticatedBy(fixture, packet, client) : null;
        FuzzInvariantException.Check((flags & RestrictFlags.Limited) != 0 || result.Decision is not (ServerDecision.DropRateLimited or ServerDecision.Kod),
            $"a source without `limited` was rate limited ({result.Decision})");
        FuzzInvariantException.Check((flags & RestrictFlags.Kod) != 0 || result.Disposition != DatagramDisposition.Kod, "a KoD to a source without `kod`");
        switch (result.Disposition)
        {
            case DatagramDisposition.Dropped:
                FuzzInvariantException.Check(result.ReplyLength == 0 && result.MacKey is null, "a dropped request with a reply");
                return null;
            case DatagramDisposition.Reply:
                FuzzInvariantException.Check(parsed, "a reply to a request that does not parse");
                CheckReply(fixture, packet, reply, result, expectedKey, request.Length);
                break;
            case DatagramDisposition.Kod:
                FuzzInvariantException.Check(parsed && result.MacKey is null, "a KoD to a request that does not parse, or signed");
                CheckKiss(packet.Header, reply);
                break;
            default:
                throw new FuzzInvariantException($"a time request ended as {result.Disposition}");
        }

        NtpHeader asked = packet.Header;
        FuzzInvariantException.Check(client.Port != 0, "answered source port 0");
        FuzzInvariantException.Check((flags & RestrictFlags.NoServe) == 0, "answered a noserve source");
        FuzzInvariantException.Check((flags & RestrictFlags.NoTrust) == 0 || expectedKey is not null, "answered an unauthenticated notrust source");
        FuzzInvariantException.Check((flags & RestrictFlags.Version) == 0 || asked.Version == 4, "answered NTPv" + asked.Version + " under restrict version");
        FuzzInvariantException.Check(asked.Mode is NtpMode.Client or NtpMode.SymmetricActive || (asked.Mode == NtpMode.Reserved && asked.Version == 1),
            $"answered a mode {asked.Mode} request");
        return result.Disposition == DatagramDisposition.Reply ? NtpHeader.Read(reply).ReceiveTime.Raw : null;
    }

    /// <summary>The key whose valid MAC the request carries and that <paramref name="client"/> may use, or null.</summary>
    private static SymmetricKey? AuthenticatedBy(EngineFixture fixture, in NtpPacket packet, in ClientAddress client) =>
        packet.HasMac && !packet.Mac.IsCryptoNak && fixture.Engine.Server.Keys.TryGetTrusted(packet.Mac.KeyId, client, out SymmetricKey? key)
            && PacketMac.Verify(key, packet)
            ? key
            : null;

    private static void CheckReply(EngineFixture fixture, in NtpPacket request, ReadOnlySpan<byte> reply, in DatagramResult result, SymmetricKey? expectedKey,
        int requestLength)
    {
        SymmetricKey? signWith = result.MacKey;
        FuzzInvariantException.Check(ReferenceEquals(signWith, expectedKey), $"reply signed with {signWith?.ToString() ?? "no key"}, request authenticated by {expectedKey?.ToString() ?? "none"}");
        bool cryptoNak = request.HasMac && expectedKey is null;
        FuzzInvariantException.Check(reply.Length == (cryptoNak ? NtpHeader.Size + 4 : NtpHeader.Size), $"reply of {reply.Length} octets (crypto-NAK due: {cryptoNak})");
        FuzzInvariantException.Check(!cryptoNak || BinaryPrimitives.ReadUInt32BigEndian(reply[NtpHeader.Size..]) == 0, "crypto-NAK with a key id");
        int sent = reply.Length + (signWith is null ? 0 : PacketMac.KeyIdLength + PacketMac.DigestLength(signWith.Type));
        FuzzInvariantException.Check(sent <= requestLength, $"reply of {sent} octets to a request of {requestLength}");
        FuzzInvariantException.Check(NtpPacket.TryRead(reply, out NtpPacket answer, out PacketError error), $"reply does not parse: {error}");

        NtpHeader asked = request.Header;
        NtpHeader header = answer.Header;
        NtpMode expectedMode = asked.Mode == NtpMode.Client ? NtpMode.Server : NtpMode.SymmetricPassive;
        FuzzInvariantException.Check(header.Mode == expectedMode && header.Version == asked.Version && header.Poll == asked.Poll,
            $"reply mode {header.Mode} v{header.Version} poll {header.Poll} to mode {asked.Mode} v{asked.Version} poll {asked.Poll}");
        FuzzInvariantException.Check(header.ReceiveTime.Raw == (fixture.Now.Real.Raw | 1), "reply receive timestamp is not the arrival with its lowest bit set");
        if (result.IsInterleaved)
        {
            // RFC 9769: origin is the request's receive field, transmit an earlier reply's kernel stamp (bit clear).
            FuzzInvariantException.Check(asked.Version == 4 && (asked.OriginTime.Raw & 1) == 1 && header.OriginTime == asked.ReceiveTime
                && !header.TransmitTime.IsZero && (header.TransmitTime.Raw & 1) == 0, "interleaved reply timestamps");
        }
        else
        {
            FuzzInvariantException.Check(header.OriginTime == asked.TransmitTime && header.TransmitTime.IsZero,
                "reply timestamps: origin must echo the request, transmit be left to the host");
        }
        FuzzInvariantException.Check(header.Stratum == fixture.Engine.System.WireStratum, "reply stratum is not the system's");
    }

    private static void CheckKiss(in NtpHeader asked, ReadOnlySpan<byte> reply)
    {
        FuzzInvariantException.Check(reply.Length == NtpHeader.Size, $"KoD of {reply.Length} octets");
        NtpHeader kiss = NtpHeader.Read(reply);
        FuzzInvariantException.Check(kiss.Leap == LeapIndicator.Unsynchronized && kiss.Stratum == 0 && kiss.ReferenceId == s_rate,
            "KoD is not leap 3, stratum 0, RATE");
        FuzzInvariantException.Check(kiss.OriginTime == asked.TransmitTime && kiss.ReceiveTime == asked.TransmitTime && kiss.TransmitTime == asked.TransmitTime,
            "KoD timestamps are not all the request's transmit timestamp");
        FuzzInvariantException.Check(kiss.Version == asked.Version && kiss.Poll >= asked.Poll, "KoD version or poll");
    }
}

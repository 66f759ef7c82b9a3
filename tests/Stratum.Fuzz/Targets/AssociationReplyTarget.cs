// AssociationReplyTarget ("reply"): arbitrary datagrams as answers to the requests the warmed-up
// EngineFixture's associations send, through NtpEngine.OnDatagram on the association's socket to
// RemoteAssociation's reply check (OnReply/Check), the clock filter, selection and the discipline.
// The associations: 192.0.2.1 (no key), 192.0.2.2 (MD5 key 1), 2001:db8::1 (AES-CMAC key 3) and the
// symmetric peer 198.51.100.7. Each sends its requests when the target runs the engine's timer; the
// harness reads each request's transmit timestamp (the origin a valid reply must echo).
// Input: up to 24 records, each: an option octet, a timing octet, then a length octet and the datagram.
//   option bits 0-1: which association receives it
//   option bit 2:    the harness writes the association's last transmit timestamp as the origin
//   option bit 3:    the harness signs the datagram with the association's key (MD5 key 1 if none)
//   option bit 4:    the harness sets version 4 and the mode the association expects (4, or 2 from the peer)
//   option bit 5:    it comes from another address (a spoofed source the engine must ignore)
//   option bits 6-7: time before it: none, 5 ms, the engine's next deadline (requests go out), 1 s and the timer
//   timing octet:    bit 0 set: the harness writes plausible receive and transmit times, the server
//                    ahead by (octet >> 1, signed) ms
// Invariants beyond "no exception":
// - a datagram from the wrong address changes nothing and is ignored;
// - only a reply whose origin is the outstanding request's transmit timestamp, whose mode fits and
//   (with `key N`) whose MAC verifies with key N changes state (Accepted, KissOfDeath, Unsynchronized);
// - the reach register and the last sample change only when a reply is accepted, and an accepted
//   sample's offset, delay (> 0) and dispersion (>= 0) are finite;
// - an association stopped by a DENY/RSTR kiss sends nothing more;
// - every clock action is finite and a frequency stays within ±500 ppm;
// - afterwards every association still reads back well-formed over mode 6.
using System.Net;
using Stratum.Core.Auth;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;

namespace Stratum.Fuzz.Targets;

internal static class AssociationReplyTarget
{
    private const int MaxRecords = 24;
    private const long MaxTimerWait = 1100 * LoopTime.NanosecondsPerSecond;

    private static readonly string[] s_associations = ["192.0.2.1", "192.0.2.2", "2001:db8::1", "198.51.100.7"];
    private static readonly ClientAddress s_stranger = EngineFixture.Address("192.0.2.66", 123);

    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInputReader(input);
        EngineFixture fixture = EngineFixture.Create();
        var requests = new Dictionary<int, NtpTimestamp>();
        for (int record = 0; record < MaxRecords && !reader.IsAtEnd; record++)
        {
            byte options = reader.ReadByte();
            byte timing = reader.ReadByte();
            ReadOnlySpan<byte> datagram = reader.ReadRecord();
            RemoteSource source = fixture.Source(s_associations[options & 3]);
            Wait(fixture, (options >> 6) & 3, requests);
            byte[] reply = Prepare(fixture, source, datagram, options, timing, requests);
            Deliver(fixture, source, reply, (options & 0x20) != 0, requests);
        }

        ControlResponderTarget.ReadEveryAssociation(fixture);
    }

    private static void Wait(EngineFixture fixture, int choice, Dictionary<int, NtpTimestamp> requests)
    {
        switch (choice)
        {
            case 1:
                fixture.Advance(5_000_000);
                break;
            case 2:
                RunTimer(fixture, MaxTimerWait, requests);
                break;
            case 3:
                fixture.Advance(LoopTime.NanosecondsPerSecond);
                RunTimer(fixture, 0, requests);
                break;
        }
    }

    /// <summary>Runs the timer; records each request's transmit timestamp; a stopped association must send none.</summary>
    private static void RunTimer(EngineFixture fixture, long maxWait, Dictionary<int, NtpTimestamp> requests)
    {
        var stopped = new HashSet<int>();
        foreach (RemoteSource source in fixture.Engine.Sources.Sources)
        {
            if (source.Association.StoppedBy is not null)
            {
                stopped.Add(source.Id);
            }
        }

        fixture.RunTimer(maxWait);
        CheckClockActions(fixture.Actions);
        foreach (OutgoingPacket packet in fixture.Actions.Packets)
        {
            FuzzInvariantException.Check(!stopped.Contains(packet.AssociationId), $"association {packet.AssociationId}, stopped by a kiss, sent a request");
            ReadOnlySpan<byte> bytes = fixture.Actions.PacketBytes(packet);
            FuzzInvariantException.Check(bytes.Length >= NtpHeader.Size, "a request shorter than an NTP header");
            requests[packet.AssociationId] = NtpTimestamp.Read(bytes[NtpHeader.TransmitTimeOffset..]);
        }
    }

    private static byte[] Prepare(EngineFixture fixture, RemoteSource source, ReadOnlySpan<byte> datagram, byte options, byte timing,
        Dictionary<int, NtpTimestamp> requests)
    {
        byte[] reply = datagram.ToArray();
        if (reply.Length >= NtpHeader.Size)
        {
            if ((options & 0x04) != 0 && requests.TryGetValue(source.Id, out NtpTimestamp origin))
            {
                origin.Write(reply.AsSpan(24));
            }

            if ((options & 0x10) != 0)
            {
                NtpMode mode = source.Association.Settings.Mode == AssociationMode.Client ? NtpMode.Server : NtpMode.SymmetricPassive;
                reply[0] = (byte)((reply[0] & 0xC0) | (4 << 3) | (int)mode);
            }

            if ((timing & 1) != 0)
            {
                double serverAhead = (sbyte)(timing & 0xFE) / 2 * 0.001;
                NtpTimestamp received = fixture.Now.Real + NtpDuration.FromSeconds(serverAhead - 0.002);
                received.Write(reply.AsSpan(32));
                (received + NtpDuration.FromSeconds(0.0001)).Write(reply.AsSpan(NtpHeader.TransmitTimeOffset));
            }
        }

        if ((options & 0x08) == 0)
        {
            return reply;
        }

        SymmetricKey key = source.Association.Key ?? EngineFixture.Key(EngineFixture.Md5KeyId);
        int body = reply.Length & ~3;
        var signed = new byte[body + NtpPacket.MaxMacLength];
        reply.AsSpan(0, body).CopyTo(signed);
        return signed[..PacketMac.Append(key, signed, body)];
    }

    private static void Deliver(EngineFixture fixture, RemoteSource source, byte[] reply, bool fromStranger, Dictionary<int, NtpTimestamp> requests)
    {
        RemoteAssociation association = source.Association;
        IPEndPoint server = association.Settings.Address;
        ClientAddress from = fromStranger ? s_stranger : ClientAddress.From(server.Address, server.Port);
        byte reach = association.Reach;
        ClockSample? sample = association.LastSample;
        RawExchange? exchange = association.LastExchange;
        long[] dropped = [.. association.DroppedReplies];
        bool awaited = requests.TryGetValue(source.Id, out NtpTimestamp origin);

        fixture.Actions.Clear();
        DatagramResult result = fixture.Engine.OnDatagram(DatagramContext.ForAssociation(source.Id, from, fixture.Now.Real, fixture.Now, reply), [], fixture.Actions);
        CheckClockActions(fixture.Actions);
        ReplyVerdict? verdict = VerdictOf(association, dropped, exchange);
        if (fromStranger)
        {
            FuzzInvariantException.Check(result.Disposition == DatagramDisposition.Dropped && verdict is null && association.Reach == reach,
                "a datagram from a stranger reached the association");
            return;
        }

        FuzzInvariantException.Check(result.Disposition == DatagramDisposition.Association && verdict is not null, "the association's server was not heard");
        bool changesState = verdict is ReplyVerdict.Accepted or ReplyVerdict.KissOfDeath or ReplyVerdict.Unsynchronized;
        if (changesState)
        {
            FuzzInvariantException.Check(NtpPacket.TryRead(reply, out NtpPacket packet, out _) && awaited && packet.Header.OriginTime == origin,
                $"{verdict} for a reply that does not answer the outstanding request");
            NtpMode mode = packet.Header.Mode;
            FuzzInvariantException.Check(association.Settings.Mode == AssociationMode.Client ? mode == NtpMode.Server : mode is NtpMode.SymmetricActive or NtpMode.SymmetricPassive,
                $"{verdict} for a mode {mode} reply");
            FuzzInvariantException.Check(association.Settings.KeyId is null || (association.Key is { } key && PacketMac.Verify(key, packet)),
                $"{verdict} for a reply not signed with key {association.Settings.KeyId}");
            requests.Remove(source.Id);
        }

        if (verdict == ReplyVerdict.Accepted)
        {
            FuzzInvariantException.Check((association.Reach & 1) != 0 && association.LastSample is { } accepted && Finite(accepted),
                "an accepted reply without reach or with a non-finite sample");
        }
        else
        {
            FuzzInvariantException.Check(association.Reach == reach && association.LastSample == sample, $"{verdict} changed the reach register or the last sample");
        }
    }

    /// <summary>The verdict whose drop counter moved, Accepted when a new exchange was recorded, or null when nothing happened.</summary>
    private static ReplyVerdict? VerdictOf(RemoteAssociation association, long[] droppedBefore, RawExchange? exchangeBefore)
    {
        ReplyVerdict? verdict = null;
        for (int i = 0; i < droppedBefore.Length; i++)
        {
            long moved = association.DroppedReplies[i] - droppedBefore[i];
            FuzzInvariantException.Check(moved is 0 or 1 && (moved == 0 || verdict is null), "one datagram counted twice");
            if (moved == 1)
            {
                verdict = (ReplyVerdict)i;
            }
        }

        bool accepted = !ReferenceEquals(association.LastExchange, exchangeBefore);
        FuzzInvariantException.Check(!accepted || verdict is null, $"{verdict} counted as a drop, yet the exchange was recorded");
        if (accepted)
        {
            verdict = ReplyVerdict.Accepted;
        }

        return verdict;
    }

    internal static bool Finite(in ClockSample sample) =>
        double.IsFinite(sample.Offset) && double.IsFinite(sample.Delay) && sample.Delay > 0 && double.IsFinite(sample.Dispersion) && sample.Dispersion >= 0
        && double.IsFinite(sample.RootDelay) && double.IsFinite(sample.RootDispersion);

    internal static void CheckClockActions(EngineActions actions)
    {
        foreach (ClockAction action in actions.ClockActions)
        {
            FuzzInvariantException.Check(double.IsFinite(action.Value), $"clock action {action.Kind} with {action.Value}");
            FuzzInvariantException.Check(action.Kind != ClockActionKind.SetFrequency || Math.Abs(action.Value) <= 500e-6 * (1 + 1e-9),
                $"frequency {action.Value * 1e6} ppm");
        }
    }
}

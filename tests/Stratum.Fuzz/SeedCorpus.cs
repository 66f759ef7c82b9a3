// SeedCorpus: the seed inputs of the responder targets, written by `Stratum.Fuzz --write-seeds DIR`
// into DIR/<target>/ (tests/Stratum.Fuzz/corpus is what it wrote). Each seed is a valid request as a
// client sends it (ntpq `rv`, `associations`, `cv`, `:config`, `mrulist`, `ifstats`, `reslist`; ntpdc
// `sysinfo`, `listpeers`, `showpeer`, `kerninfo`; a client's mode 3 request, signed or not), a valid
// server reply, NTS messages made with the nts target's fixed keys, or a broadcast and manycast exchange (mobilization, the volley, listening, too-soon and
// backstep broadcasts, a manycast mobilization), framed the way each target reads its input (option
// octets and records; see the header of each target). Continuation seeds name real entries of the
// EngineFixture's MRU list, and association numbers are the fixture's (1 local clock, 2 SHM,
// 3 192.0.2.1, 4 192.0.2.2, 5 2001:db8::1, 6 the peer 198.51.100.7), so AFL starts from inputs that
// reach deep paths.
using System.Text;
using Stratum.Core.Auth;
using Stratum.Core.Mode6;
using Stratum.Core.Mode7;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Fuzz.Targets;

namespace Stratum.Fuzz;

internal static class SeedCorpus
{
    /// <summary>Writes every seed of the responder targets under <paramref name="directory"/>; returns how many.</summary>
    public static int Write(string directory)
    {
        int written = 0;
        foreach ((string target, string name, byte[] input) in All())
        {
            string folder = Path.Combine(directory, target);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), input);
            written++;
        }

        return written;
    }

    private static IEnumerable<(string Target, string Name, byte[] Input)> All()
    {
        foreach ((string name, byte[] input) in Mode6Seeds())
        {
            yield return ("mode6-responder", name, input);
        }

        foreach ((string name, byte[] input) in MruSeeds())
        {
            yield return ("mrulist", name, input);
        }

        foreach ((string name, byte[] input) in Mode7Seeds())
        {
            yield return ("mode7-responder", name, input);
        }

        foreach ((string name, byte[] input) in ServerSeeds())
        {
            yield return ("server", name, input);
        }

        foreach ((string name, byte[] input) in ReplySeeds())
        {
            yield return ("reply", name, input);
        }

        foreach ((string name, byte[] input) in BroadcastSeeds())
        {
            yield return ("broadcast", name, input);
        }

        foreach ((string name, byte[] input) in NtsSeeds())
        {
            yield return ("nts", name, input);
        }
    }

    // nts: an NTS-KE request and response as chrony sends them, and an NTS request and response made with the
    // target's fixed keys (so AFL starts inside the AEAD), and a cookie sealed with its master key.
    private static IEnumerable<(string, byte[])> NtsSeeds()
    {
        var buffer = new byte[2048];
        int length = Stratum.Core.Nts.NtsKeMessages.WriteRequest(
            new Stratum.Core.Nts.NtsKeRequest([Stratum.Core.Nts.NtsKeMessages.NtpV4], [Stratum.Core.Nts.NtsKeMessages.AesSivCmac256]) { Port = 123 }, buffer);
        yield return ("ke-request", [0, .. buffer.AsSpan(0, length)]);

        var keys = new Stratum.Core.Nts.NtsSessionKeys(Stratum.Core.Nts.NtsKeMessages.AesSivCmac256, NtsTarget.ClientToServer, NtsTarget.ServerToClient);
        using var master = new Stratum.Core.Nts.NtsCookieKey(NtsTarget.MasterKeyId, NtsTarget.MasterKey);
        byte[][] cookies = [master.Seal(keys), master.Seal(keys)];
        length = Stratum.Core.Nts.NtsKeMessages.WriteResponse(new Stratum.Core.Nts.NtsKeResponse(Stratum.Core.Nts.NtsKeMessages.AesSivCmac256, cookies)
        {
            Server = "192.0.2.1",
        }, buffer);
        yield return ("ke-response", [1, .. buffer.AsSpan(0, length)]);

        byte[] nonce = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        byte[] uniqueId = [.. Enumerable.Range(0, 32).Select(i => (byte)(i + 100))];
        var packet = new byte[1024];
        packet[0] = 0x23;
        using (var c2s = new Stratum.Core.Nts.AesSiv(NtsTarget.ClientToServer))
        {
            length = Stratum.Core.Nts.NtsExtensionFields.WriteRequest(packet, uniqueId, cookies[0], 1, c2s, nonce);
        }

        yield return ("ntp-request", [2, .. packet.AsSpan(0, length)]);

        var fields = new byte[512];
        int fieldsLength = Stratum.Core.Nts.NtsExtensionFields.WriteCookieFields(cookies, fields);
        packet.AsSpan().Clear();
        packet[0] = 0x24;
        using (var s2c = new Stratum.Core.Nts.AesSiv(NtsTarget.ServerToClient))
        {
            length = Stratum.Core.Nts.NtsExtensionFields.WriteResponse(packet, uniqueId, fields.AsSpan(0, fieldsLength), s2c, nonce);
        }

        yield return ("ntp-response", [3, .. packet.AsSpan(0, length)]);
        yield return ("cookie", [4, .. cookies[1]]);
    }

    // mode6-responder: options[0] = MacChoice | client << 4 | 0x80 (echo a nonce); options[1] bit 0: AES controlkey.
    private static IEnumerable<(string, byte[])> Mode6Seeds()
    {
        yield return ("readvar-system", [0, 0, .. Control(ControlOpcode.ReadVariables, 0, "")]);
        yield return ("readstat-associations", [0, 0, .. Control(ControlOpcode.ReadStatus, 0, "")]);
        yield return ("readvar-peer-named", [0x10, 0, .. Control(ControlOpcode.ReadVariables, 3, "srcadr,offset,delay,jitter,filtdelay,sent,badauth")]);
        yield return ("readvar-md5", [(byte)MacChoice.Md5, 0, .. Control(ControlOpcode.ReadVariables, 0, "")]);
        yield return ("readvar-aes-cmac", [(byte)MacChoice.AesCmac, 0, .. Control(ControlOpcode.ReadVariables, 5, "")]);
        yield return ("readvar-lan-key", [(byte)MacChoice.LanOnlyKey | 0x20, 0, .. Control(ControlOpcode.ReadVariables, 0, "version,sys_jitter")]);
        yield return ("clockvar-shm", [0, 0, .. Control(ControlOpcode.ReadClock, 2, "")]);
        yield return ("config-md5", [(byte)MacChoice.Md5, 0,
            .. Control(ControlOpcode.Configure, 0, "server 192.0.2.50 iburst\nrestrict 10.0.0.0 mask 255.0.0.0 nomodify\nunpeer 3\n")]);
        yield return ("config-aes-controlkey", [(byte)MacChoice.AesCmac, 1, .. Control(ControlOpcode.Configure, 0, "peer 2001:db8::77 key 3\npool pool.example.org iburst")]);
        yield return ("config-unsigned", [0, 0, .. Control(ControlOpcode.Configure, 0, "server 192.0.2.51")]);
        yield return ("writevar-md5", [(byte)MacChoice.Md5, 0, .. Control(ControlOpcode.WriteVariables, 0, "leap=0")]);
        yield return ("saveconfig-md5", [(byte)MacChoice.Md5, 0, .. Control(ControlOpcode.SaveConfig, 0, "ntp.conf.saved")]);
        yield return ("nonce", [0, 0, .. Control(ControlOpcode.RequestNonce, 0, "")]);
        yield return ("mrulist-with-nonce", [0x80, 0, .. Control(ControlOpcode.ReadMru, 0, "nonce=" + new string('0', 24) + ", frags=32, mincount=1")]);
        yield return ("ifstats", [0, 0, .. Control(ControlOpcode.ReadOrderedList, 0, "")]);
        yield return ("reslist", [0, 0, .. Control(ControlOpcode.ReadOrderedList, 0, "addr_restrictions")]);
        yield return ("settrap", [0, 0, .. Control(ControlOpcode.SetTrap, 0, "")]);
    }

    // mrulist: one option octet (bit 0: from ::1; bits 1-2: time passing), then the variables after the nonce.
    private static IEnumerable<(string, byte[])> MruSeeds()
    {
        yield return ("frags", [0, .. "frags=32"u8]);
        yield return ("limit-filters", [0, .. "limit=5, mincount=1, resall=0x0, resany=0x430, maxlstint=3600"u8]);
        yield return ("ipv6-laddr", [3, .. "limit=100, laddr=::1, mincount=-1"u8]);
        (string newest, string older) = FixtureEntries();
        yield return ("continuation", [0, .. Encoding.ASCII.GetBytes("frags=4, " + newest)]);
        yield return ("continuation-limit-one", [0, .. Encoding.ASCII.GetBytes("limit=1, " + older)]);
    }

    /// <summary>"last.0=…, addr.0=…" of the fixture's newest entry and "last.0=…, addr.0=…" of an older one.</summary>
    private static (string Newest, string Older) FixtureEntries()
    {
        EngineFixture fixture = EngineFixture.Create();
        var entries = new List<MruEntryView>();
        foreach (MruEntryView entry in fixture.Engine.Server.Access!.Mru)
        {
            entries.Add(entry);
        }

        static string Pair(MruEntryView entry, int index) =>
            $"last.{index}=0x{entry.LastSeen.Seconds:x8}.{entry.LastSeen.Fraction:x8}, addr.{index}={entry.Address}";
        return (Pair(entries[0], 0) + ", " + Pair(entries[1], 1), Pair(entries[entries.Count / 2], 0));
    }

    // mode7-responder: one option octet (client; bit 3: mode 7 off), then the request as ntpdc pads it.
    private static IEnumerable<(string, byte[])> Mode7Seeds()
    {
        yield return ("sysinfo", [0, .. Mode7(Mode7RequestCode.SystemInfo)]);
        yield return ("sysstats", [0, .. Mode7(Mode7RequestCode.SystemStats)]);
        yield return ("iostats", [0, .. Mode7(Mode7RequestCode.IoStats)]);
        yield return ("loopinfo", [0, .. Mode7(Mode7RequestCode.LoopInfo)]);
        yield return ("kerninfo", [0, .. Mode7(Mode7RequestCode.GetKernel)]);
        yield return ("listpeers", [1, .. Mode7(Mode7RequestCode.PeerList)]);
        yield return ("peers", [0, .. Mode7(Mode7RequestCode.PeerListSummary)]);
        var selector = new byte[PeerListItem.Size];
        new PeerListItem(System.Net.IPAddress.Parse("192.0.2.1"), 123, 3, 0).Write(selector);
        yield return ("showpeer", [0, .. Mode7(Mode7RequestCode.PeerInfo, 1, PeerListItem.Size, selector)]);
        yield return ("monlist-refused", [0, .. Mode7(Mode7RequestCode.MonitorList1)]);
        yield return ("sysinfo-mode7-off", [8, .. Mode7(Mode7RequestCode.SystemInfo)]);
    }

    // server: records of (client | wait << 3, MacChoice, length, request).
    private static IEnumerable<(string, byte[])> ServerSeeds()
    {
        byte[] request = ClientRequest(4, NtpMode.Client, 0x0123456789abcdefUL);
        yield return ("client-v4", Record(0, (byte)MacChoice.AsSent, request));
        yield return ("client-v3-md5", Record(0, (byte)MacChoice.Md5, ClientRequest(3, NtpMode.Client, 0x1111)));
        yield return ("client-sha1-ipv6", Record(1, (byte)MacChoice.Sha1, request));
        yield return ("client-aes-cmac", Record(0, (byte)MacChoice.AesCmac, request));
        yield return ("crypto-nak", Record(0, (byte)MacChoice.CryptoNak, request));
        yield return ("unknown-key", Record(0, (byte)MacChoice.UnknownKeyId, request));
        yield return ("untrusted-key", Record(4, (byte)MacChoice.UntrustedKey, request));
        yield return ("notrust-lan-key", [.. Record(2, (byte)MacChoice.LanOnlyKey, request), .. Record(2, (byte)MacChoice.AsSent, request)]);
        var presigned = new byte[NtpHeader.Size + NtpPacket.MaxMacLength];
        request.CopyTo(presigned, 0);
        int signedLength = PacketMac.Append(EngineFixture.Key(EngineFixture.Md5KeyId), presigned, NtpHeader.Size);
        yield return ("client-presigned-md5", Record(0, (byte)MacChoice.AsSent, presigned[..signedLength]));
        var burst = new List<byte>();
        for (int i = 0; i < 16; i++)
        {
            burst.AddRange(Record(4, (byte)MacChoice.AsSent, ClientRequest(4, NtpMode.Client, 0x2000UL + (ulong)i)));
        }

        yield return ("burst-limited-kod", [.. burst]);
        yield return ("symmetric-and-v1", [.. Record(0, 0, ClientRequest(4, NtpMode.SymmetricActive, 7)), .. Record(0x08, 0, ClientRequest(1, NtpMode.Reserved, 8)),
            .. Record(0x18, 0, ClientRequest(3, NtpMode.Client, 9))]);
        yield return ("interleaved-client", [.. Record(0, 0, request), .. Record(0x20, 0, request), .. Record(0x20, 0, ClientRequest(4, NtpMode.Client, 0x3333)),
            .. Record(0x20, 0, ClientRequest(4, NtpMode.Client, 0x4444)), .. Record(0x20, (byte)MacChoice.Md5, ClientRequest(4, NtpMode.Client, 0x5555))]);
        yield return ("restricted-sources", [.. Record(3, 0, request), .. Record(5, 0, request), .. Record(6, 0, request), .. Record(7, 0, request)]);
    }

    // reply: records of (option, timing, length, datagram); see AssociationReplyTarget.
    private static IEnumerable<(string, byte[])> ReplySeeds()
    {
        const byte Origin = 0x04, Sign = 0x08, FitMode = 0x10, Stranger = 0x20, NextDeadline = 0x80, PlausibleTimes = 1;
        byte[] good = ServerReply(2, LeapIndicator.NoWarning, ReferenceId.FromAddress(System.Net.IPAddress.Parse("192.0.2.254")));
        var rounds = new List<byte>();
        for (int round = 0; round < 3; round++)
        {
            rounds.AddRange(Record(0 | Origin | FitMode | NextDeadline, PlausibleTimes | (round << 2), good));
            rounds.AddRange(Record(1 | Origin | FitMode | Sign, PlausibleTimes, good));
            rounds.AddRange(Record(2 | Origin | FitMode | Sign, PlausibleTimes | 0x10, good));
            rounds.AddRange(Record(3 | Origin | FitMode, PlausibleTimes, good));
        }

        yield return ("accepted-rounds", [.. rounds]);
        yield return ("kod-deny", [.. Record(Origin | FitMode | NextDeadline, PlausibleTimes, ServerReply(0, LeapIndicator.Unsynchronized, ReferenceId.FromAscii("DENY"))),
            .. Record(Origin | FitMode | NextDeadline, PlausibleTimes, good)]);
        yield return ("kod-rate", [.. Record(Origin | FitMode | NextDeadline, PlausibleTimes, ServerReply(0, LeapIndicator.Unsynchronized, ReferenceId.FromAscii("RATE"))),
            .. Record(Origin | FitMode | NextDeadline, PlausibleTimes, good)]);
        yield return ("unsynchronized", Record(Origin | FitMode | NextDeadline, PlausibleTimes, ServerReply(16, LeapIndicator.Unsynchronized, ReferenceId.FromAscii("INIT"))));
        yield return ("crypto-nak-to-keyed", Record(1 | Origin | FitMode | NextDeadline, PlausibleTimes, [.. good, 0, 0, 0, 0]));
        yield return ("spoofed-and-bogus", [.. Record(Origin | FitMode | Stranger | NextDeadline, PlausibleTimes, good), .. Record(FitMode, PlausibleTimes, good)]);
    }

    // broadcast: two option octets, then records of (place, fix-ups, timing, length, datagram); see BroadcastTarget.
    // Sources by index: 0..3 are 192.0.2.1..4, 4 is 192.0.2.5 (nopeer), 5 is 192.0.2.6 (noserve).
    private static IEnumerable<(string, byte[])> BroadcastSeeds()
    {
        const byte Auth = 0x01, SolicitorKey = 0x10, Synchronized = 0x20, DelayFraction = 0x40;
        const byte FromPort = 0x08, Group = 0x10, Solicitor = 0x20, Own = 0x30, FourSeconds = 0x40, NextDeadline = 0x80, TwentySeconds = 0xC0;
        const byte Mode5 = 1, Mode4 = 2, Mode3 = 3, Origin = 0x04, Plausible = 0x80;
        const byte Md5 = (byte)MacChoice.Md5 << 3, Untrusted = (byte)MacChoice.UntrustedKey << 3, Corrupted = (byte)MacChoice.CorruptedDigest << 3;
        byte[] broadcast = BroadcastPacket();
        byte[] reply = ServerReply(2, LeapIndicator.NoWarning, ReferenceId.FromAddress(System.Net.IPAddress.Parse("192.0.2.254")));
        byte[] request = ClientRequest(4, NtpMode.Client, 0x0123456789abcdefUL);

        // A signed broadcast mobilizes; the volley (eight requests answered on the association's socket); then listening.
        var volley = new List<byte>(Cast(Group, Mode5 | Md5 | Plausible, Milliseconds(10), broadcast));
        for (int i = 0; i < 8; i++)
        {
            volley.AddRange(Cast(Own | NextDeadline, Mode4 | Origin | Md5 | Plausible, Milliseconds(10), reply));
        }

        for (int i = 0; i < 3; i++)
        {
            volley.AddRange(Cast(Group | TwentySeconds, Mode5 | Md5 | Plausible, Milliseconds(10), broadcast));
        }

        yield return ("volley-then-listen", [Auth, 0, .. volley]);

        // broadcastdelay 2/255 s and bcpollbstep 2: accepted at once, too soon 4 s later, a 30 s backward step held back
        // for two poll intervals, then believed.
        yield return ("too-soon-and-backstep", [Auth | (2 << 1) | DelayFraction, 2,
            .. Cast(1, Mode5 | Md5 | Plausible, Milliseconds(5), broadcast),
            .. Cast(1 | FourSeconds, Mode5 | Md5 | Plausible, Milliseconds(5), broadcast),
            .. Cast(1 | TwentySeconds, Mode5 | Md5 | Plausible, Seconds(-30), broadcast),
            .. Cast(1 | TwentySeconds, Mode5 | Md5 | Plausible, Seconds(-30), broadcast),
            .. Cast(1 | TwentySeconds, Mode5 | Md5 | Plausible, Seconds(-30), broadcast)]);

        // `disable auth`: unsigned broadcasts; nopeer and noserve sources refused, then maxclock reached.
        var flood = new List<byte>();
        foreach (byte source in new byte[] { 4, 5, 0, 1 | FromPort, 2, 3, 4 })
        {
            flood.AddRange(Cast(source, Mode5 | Plausible | (source == 4 && flood.Count > 0 ? Md5 : 0), Milliseconds(3), broadcast));
        }

        yield return ("unsigned-auth-off", [0x00, 0, .. flood]);
        yield return ("unsigned-auth-on", [Auth | DelayFraction, 1,
            .. Cast(0, Mode5 | Plausible, Milliseconds(3), broadcast),
            .. Cast(0, Mode5 | Untrusted | Plausible, Milliseconds(3), broadcast),
            .. Cast(0, Mode5 | Corrupted | Plausible, Milliseconds(3), broadcast),
            .. Cast(0 | Group, Mode5 | Md5 | Plausible, Milliseconds(3), broadcast),
            .. Cast(0 | Group | TwentySeconds, Mode5 | Plausible, Milliseconds(3), broadcast)]);

        // The solicitor's request answered by two signed servers (mobilized), an unsigned one (refused) and a
        // duplicate; then the new associations poll and their servers answer.
        var manycast = new List<byte>();
        manycast.AddRange(Cast(1 | Solicitor | NextDeadline, Mode4 | Origin | Md5 | Plausible, Milliseconds(3), reply));
        manycast.AddRange(Cast(2 | Solicitor, Mode4 | Origin | Md5 | Plausible, Milliseconds(4), reply));
        manycast.AddRange(Cast(3 | Solicitor, Mode4 | Origin | Plausible, Milliseconds(4), reply));
        manycast.AddRange(Cast(1 | FromPort | Solicitor, Mode4 | Origin | Md5 | Plausible, Milliseconds(3), reply));
        for (int i = 0; i < 4; i++)
        {
            manycast.AddRange(Cast(1 | Own | NextDeadline, Mode4 | Origin | Md5 | Plausible, Milliseconds(3), reply));
            manycast.AddRange(Cast(2 | Own, Mode4 | Origin | Md5 | Plausible, Milliseconds(4), reply));
        }

        yield return ("manycast-mobilization", [Auth | SolicitorKey, 0, .. manycast]);

        // A manycast client's request on the group socket: answered while synchronized, not otherwise.
        yield return ("group-request-synchronized", [Synchronized, 0,
            .. Cast(3 | FromPort | Group, Mode3, 0, request), .. Cast(3 | Group, 0, 0, reply)]);
        yield return ("group-request-unsynchronized", [0, 0, .. Cast(3 | FromPort | Group, Mode3, 0, request)]);

        // A broadcast server heard once, then silent: its association is demobilized.
        var silent = new List<byte>(Cast(0, Mode5 | Md5 | Plausible, Milliseconds(2), broadcast));
        for (int i = 0; i < 24; i++)
        {
            silent.AddRange(Cast(TwentySeconds, 0, 0, []));
        }

        yield return ("silent-server-expires", [Auth | DelayFraction, 1, .. silent]);
    }

    private static byte Milliseconds(int value) => (byte)((value * 2) & 0xFE);

    private static byte Seconds(int value) => (byte)(((value * 2) & 0xFE) | 1);

    private static byte[] Cast(int place, int fixups, byte timing, byte[] datagram) => [(byte)place, (byte)fixups, timing, (byte)datagram.Length, .. datagram];

    /// <summary>A broadcast server's mode 5 packet (stratum 2, poll 4); the target's options write its transmit time.</summary>
    private static byte[] BroadcastPacket()
    {
        var header = new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Broadcast, 2, 4, -20, NtpShort.FromSeconds(0.001), NtpShort.FromSeconds(0.002),
            ReferenceId.FromAddress(System.Net.IPAddress.Parse("192.0.2.254")), NtpTimestamp.FromParts(0xeea80500, 0), NtpTimestamp.Zero, NtpTimestamp.Zero,
            NtpTimestamp.FromParts(0xeea80600, 0));
        var bytes = new byte[NtpHeader.Size];
        header.Write(bytes);
        return bytes;
    }

    private static byte[] Control(ControlOpcode opcode, ushort associationId, string text)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        var request = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(data.Length)];
        ControlMessage.Write(ControlHeader.Request(opcode, 1, associationId, (ushort)data.Length), data, request);
        return request;
    }

    private static byte[] Mode7(Mode7RequestCode code, ushort itemCount = 0, ushort itemSize = 0, byte[]? data = null)
    {
        var request = new byte[Mode7Message.RequestLength];
        Mode7Message.Write(Mode7Header.ForRequest(Mode7Implementation.Xntpd, code, itemCount, itemSize), data ?? [], request);
        return request;
    }

    private static byte[] ClientRequest(byte version, NtpMode mode, ulong transmit)
    {
        var header = new NtpHeader(LeapIndicator.Unsynchronized, version, mode, 0, 6, 0, NtpShort.Zero, NtpShort.Zero, ReferenceId.None,
            NtpTimestamp.Zero, NtpTimestamp.Zero, NtpTimestamp.Zero, new NtpTimestamp(transmit));
        var bytes = new byte[NtpHeader.Size];
        header.Write(bytes);
        return bytes;
    }

    /// <summary>A server reply; the target's options write the origin, mode and times.</summary>
    private static byte[] ServerReply(byte stratum, LeapIndicator leap, ReferenceId referenceId)
    {
        var header = new NtpHeader(leap, 4, NtpMode.Server, stratum, 6, -20, NtpShort.FromSeconds(0.010), NtpShort.FromSeconds(0.020), referenceId,
            NtpTimestamp.FromParts(0xeea80500, 0), NtpTimestamp.Zero, NtpTimestamp.Zero, NtpTimestamp.Zero);
        var bytes = new byte[NtpHeader.Size];
        header.Write(bytes);
        return bytes;
    }

    private static byte[] Record(int option, int second, byte[] datagram) => [(byte)option, (byte)second, (byte)datagram.Length, .. datagram];
}

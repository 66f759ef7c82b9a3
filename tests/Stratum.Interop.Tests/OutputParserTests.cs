// Unit tests of the interop harness's own parsing and arithmetic, on outputs recorded from the real
// tools (chronyd 4.3, NTPsec 1.2.2 and tshark 4.0 on Debian 12). They need no daemon and always run,
// so a harness bug shows up here rather than as a confusing interop failure.
using System.Buffers.Binary;
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

public class OutputParserTests
{
    [Fact]
    public void NtpdigResult_ParseLine_AnchorSample_ReadsEveryField()
    {
        var result = NtpdigResult.ParseLine(
            "2026-11-22 22:57:59.181217 (+0000) +0.000010 +/- 0.000053 127.0.0.11 s1 no-leap\n");

        Assert.Equal(new NtpdigResult(0.000010, 0.000053, "127.0.0.11", 1, "no-leap"), result);
    }

    [Fact]
    public void NtpdigResult_ParseLine_ClassicSntpWithHostName_TakesAddressBeforeStratum()
    {
        var result = NtpdigResult.ParseLine(
            "2026-11-22 22:57:59.1812 (+0100) -0.001234 +/- 0.000053 localhost 127.0.0.22 s11 no-leap");

        Assert.NotNull(result);
        Assert.Equal(-0.001234, result.Offset, 9);
        Assert.Equal("127.0.0.22", result.Address);
        Assert.Equal(11, result.Stratum);
    }

    [Fact]
    public void NtpdigResult_ParseLine_KodRejection_ReturnsNull()
    {
        var result = NtpdigResult.ParseLine(
            "ntpdig: 127.0.0.13: Response dropped: stratum 0, probable KOD packet\nntpdig: no eligible servers\n");

        Assert.Null(result);
    }

    [Fact]
    public void NtpdigResult_ParseJson_AnchorSample_ReadsEveryField()
    {
        var result = NtpdigResult.ParseJson(
            "{\"time\":\"2026-11-22T22:57:59.230395+0000\",\"offset\":0.000010,\"precision\":0.000053," +
            "\"host\":\"127.0.0.11\",\"ip\":\"127.0.0.11\",\"stratum\":1,\"leap\":\"no-leap\",\"adjusted\":false}\n");

        Assert.Equal(new NtpdigResult(0.000010, 0.000053, "127.0.0.11", 1, "no-leap"), result);
    }

    [Fact]
    public void NtpdigResult_ParseJson_ObjectWithoutStratum_ReturnsNull()
    {
        var result = NtpdigResult.ParseJson("{\"offset\":0.1,\"precision\":0.1,\"ip\":\"127.0.0.1\",\"leap\":\"no-leap\"}");

        Assert.Null(result);
    }

    [Fact]
    public void NtpdateResult_ParseAll_Ntpdate428QueryOutput_ReadsServerLine()
    {
        var results = NtpdateResult.ParseAll(
            "server 127.0.0.11, stratum 1, offset -0.000012, delay 0.02567\n" +
            "22 Nov 22:57:59 ntpdate[4242]: adjust time server 127.0.0.11 offset -0.000012 sec\n");

        var result = Assert.Single(results);
        Assert.Equal(new NtpdateResult("127.0.0.11", 1, -0.000012, 0.02567), result);
    }

    [Fact]
    public void NtpdateResult_ParseAll_NoServerFound_ReturnsEmpty()
    {
        var results = NtpdateResult.ParseAll(
            "22 Nov 22:57:59 ntpdate[4242]: no server suitable for synchronization found\n");

        Assert.Empty(results);
    }

    [Fact]
    public void ChronydQueryResult_Parse_WrongByLine_ReadsSignedOffset()
    {
        var result = ChronydQueryResult.Parse(
            "2026-11-22T22:57:59Z Disabled control of system clock\n" +
            "2026-11-22T22:57:59Z System clock wrong by -0.000013 seconds (ignored)\n" +
            "2026-11-22T22:57:59Z chronyd exiting\n");

        Assert.Equal(new ChronydQueryResult(-0.000013), result);
    }

    [Fact]
    public void ChronydQueryResult_Parse_Timeout_ReturnsNull()
    {
        Assert.Null(ChronydQueryResult.Parse("2026-11-22T22:57:59Z Timeout reached\n"));
    }

    [Fact]
    public void TsharkNtpRow_Parse_ChronydRequestAndReply_ReadsHeaderFields()
    {
        var rows = TsharkNtpRow.Parse(
            "1\t127.0.0.1\t127.0.0.11\t3\t4\t3\t0\t00000000\t\t\n" +
            "2\t127.0.0.11\t127.0.0.1\t0\t4\t4\t1\t7f7f0101\t\t\n");

        Assert.Equal(2, rows.Count);
        var reply = rows[1];
        Assert.Equal(("127.0.0.11", 0, 4, 4, 1, 0x7F7F0101u), (reply.Source, reply.LeapIndicator, reply.Version, reply.Mode, reply.Stratum, reply.ReferenceId));
        Assert.False(reply.IsMalformed);
        Assert.False(reply.HasExpertWarning);
    }

    [Fact]
    public void TsharkNtpRow_Parse_TruncatedPacket_FlagsMalformedAndError()
    {
        var rows = TsharkNtpRow.Parse(
            "1\t127.0.0.1\t127.0.0.11\t\t\t3\t0\t\t[Malformed Packet: NTP],_ws.malformed\t8388608\n");

        var row = Assert.Single(rows);
        Assert.True(row.IsMalformed);
        Assert.True(row.HasExpertWarning);
        Assert.Null(row.LeapIndicator);
    }

    [Fact]
    public void TsharkNtpRow_Parse_WrongColumnCount_Throws()
    {
        Assert.Throws<FormatException>(() => TsharkNtpRow.Parse("1\t127.0.0.1\n"));
    }

    [Fact]
    public void NtpProbe_Decode_ServerAheadByOneMillisecond_ComputesOffsetAndDelay()
    {
        // T1 = 1000 s, T2 = T1 + 1 ms + 10 us, T3 = T2 + 5 us, T4 = T1 + 25 us (our clock).
        const ulong Second = 1UL << 32;
        var t1 = 1000 * Second;
        var t2 = t1 + Seconds(0.001010);
        var t3 = t2 + Seconds(0.000005);
        var t4 = t1 + Seconds(0.000025);
        var packet = new byte[48];
        packet[0] = 0x24; // LI 0, VN 4, mode 4
        packet[1] = 11;
        packet[3] = unchecked((byte)-24);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), 0x7F7F0100);
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(24), t1);
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(32), t2);
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(40), t3);

        var reply = NtpProbe.Decode(packet, t4);

        Assert.NotNull(reply);
        Assert.Equal((0, 4, 4, 11, -24), (reply.LeapIndicator, reply.Version, reply.Mode, reply.Stratum, reply.Precision));
        // theta = ((T2-T1) + (T3-T4)) / 2 = (1010 + 990) / 2 us; delta = 25 - 5 us.
        Assert.Equal(0.001000, reply.Offset, 8);
        Assert.Equal(0.000020, reply.Delay, 8);
        Assert.Equal("127.127.1.0", reply.ReferenceIdText);
        Assert.True(reply.IsSynchronised);
    }

    [Fact]
    public void NtpProbe_Decode_ClientModePacket_ReturnsNull()
    {
        var packet = new byte[48];
        packet[0] = 0x23; // mode 3

        Assert.Null(NtpProbe.Decode(packet, 0));
    }

    [Fact]
    public void NtpReply_ReferenceIdText_Stratum1_IsFourLetters()
    {
        var reply = new NtpReply(0, 4, 4, 1, 0, -24, 0, 0, 0x4C4F4F50, 0, 0, 0, 0, 0, 48);

        Assert.Equal("LOOP", reply.ReferenceIdText);
    }

    [Fact]
    public void NtpReply_IsSynchronised_LeapAlarmStratum0_IsFalse()
    {
        var reply = new NtpReply(3, 4, 4, 0, 0, -24, 0, 0, 0x494E4954, 0, 0, 0, 0, 0, 48); // ntpsec's INIT

        Assert.False(reply.IsSynchronised);
    }

    [Fact]
    public void NtpProbe_ToNtp_UnixEpoch_Is2208988800Seconds()
    {
        Assert.Equal(2_208_988_800UL << 32, NtpProbe.ToNtp(DateTime.UnixEpoch));
        Assert.Equal((2_208_988_800UL << 32) | 0x8000_0000UL, NtpProbe.ToNtp(DateTime.UnixEpoch.AddMilliseconds(500)));
    }

    [Fact]
    public void NtpReply_Difference_AcrossEraWrap_IsSmallAndSigned()
    {
        Assert.Equal(2.0, NtpReply.Difference(1UL << 32, ulong.MaxValue - (1UL << 32) + 1), 9);
        Assert.Equal(-2.0, NtpReply.Difference(ulong.MaxValue - (1UL << 32) + 1, 1UL << 32), 9);
    }

    private static ulong Seconds(double seconds) => (ulong)(seconds * 4294967296.0);
}

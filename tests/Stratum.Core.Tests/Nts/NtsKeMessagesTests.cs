// NTS-KE records and messages (RFC 8915 §4): requests and responses round-trip; the critical bit is
// accepted either way on AEAD, Server and Port records (chrony sets it, NTPsec does not); every rule a
// reader enforces has a case: End of Message last, critical and empty; exactly one critical Next
// Protocol; unknown critical records refused with their type, unknown others skipped; server errors
// and warnings; NTPv4, an offered AEAD and a cookie in a response; malformed bodies and truncation.
using Stratum.Core.Nts;

namespace Stratum.Core.Tests.Nts;

public class NtsKeMessagesTests
{
    private static readonly ushort[] s_offered = [NtsKeMessages.AesSivCmac256];

    // Builds a message from (critical, type, body) records.
    private static byte[] Message(params (bool Critical, ushort Type, byte[] Body)[] records)
    {
        var buffer = new byte[4096];
        int length = 0;
        foreach ((bool critical, ushort type, byte[] body) in records)
        {
            length += NtsKeRecord.Write(critical, (NtsKeRecordType)type, body, buffer.AsSpan(length));
        }

        return buffer[..length];
    }

    private static (bool, ushort, byte[]) End => (true, 0, []);

    private static (bool, ushort, byte[]) Next(bool critical = true) => (critical, 1, [0, 0]);

    private static (bool, ushort, byte[]) Aead(bool critical, params ushort[] ids) => (critical, 4, [.. ids.SelectMany(id => new[] { (byte)(id >> 8), (byte)id })]);

    private static (bool, ushort, byte[]) Cookie(int length) => (false, 5, Enumerable.Repeat((byte)0xC0, length).ToArray());

    [Fact]
    public void Request_RoundTrips()
    {
        var request = new NtsKeRequest([NtsKeMessages.NtpV4], [NtsKeMessages.AesSivCmac512, NtsKeMessages.AesSivCmac256]) { Server = "ntp.example.org", Port = 1230 };
        var buffer = new byte[512];
        int length = NtsKeMessages.WriteRequest(request, buffer);
        Assert.Equal(NtsKeFailure.None, NtsKeMessages.TryReadRequest(buffer.AsSpan(0, length), out NtsKeRequest? read, out _));
        Assert.Equal(request.NextProtocols, read!.NextProtocols);
        Assert.Equal(request.Aeads, read.Aeads);
        Assert.Equal("ntp.example.org", read.Server);
        Assert.Equal((ushort)1230, read.Port);
    }

    [Fact]
    public void Response_RoundTrips_WithEightCookies()
    {
        byte[][] cookies = [.. Enumerable.Range(0, 8).Select(i => Enumerable.Repeat((byte)i, 100).ToArray())];
        var response = new NtsKeResponse(NtsKeMessages.AesSivCmac256, cookies) { Port = 123 };
        var buffer = new byte[2048];
        int length = NtsKeMessages.WriteResponse(response, buffer);
        Assert.Equal(NtsKeFailure.None, NtsKeMessages.TryReadResponse(buffer.AsSpan(0, length), s_offered, out NtsKeResponse? read, out _));
        Assert.Equal(NtsKeMessages.AesSivCmac256, read!.Aead);
        Assert.Equal(8, read.Cookies.Count);
        Assert.Equal(cookies[7], read.Cookies[7]);
        Assert.Equal((ushort)123, read.Port);
        Assert.Null(read.Server);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CriticalBit_OnAeadServerAndPort_AcceptedEitherWay(bool critical)
    {
        byte[] response = Message(Next(), Aead(critical, 15), Cookie(100), (critical, 6, "192.0.2.1"u8.ToArray()), (critical, 7, [0, 123]), End);
        Assert.Equal(NtsKeFailure.None, NtsKeMessages.TryReadResponse(response, s_offered, out NtsKeResponse? read, out _));
        Assert.Equal("192.0.2.1", read!.Server);

        byte[] request = Message(Next(), Aead(critical, 15), (critical, 7, [0, 123]), End);
        Assert.Equal(NtsKeFailure.None, NtsKeMessages.TryReadRequest(request, out _, out _));
    }

    [Fact]
    public void UnknownRecords_CriticalRefusedWithItsType_OthersSkipped()
    {
        Assert.Equal(NtsKeFailure.UnrecognizedCriticalRecord, NtsKeMessages.TryReadRequest(Message(Next(), Aead(true, 15), (true, 0x4000, [1]), End), out _, out ushort type));
        Assert.Equal((ushort)0x4000, type);
        Assert.Equal(NtsKeFailure.None, NtsKeMessages.TryReadRequest(Message(Next(), (false, 0x4000, [1, 2, 3]), Aead(true, 15), End), out _, out _));
        Assert.Equal(NtsKeFailure.UnrecognizedCriticalRecord, NtsKeMessages.TryReadResponse(Message(Next(), Aead(true, 15), Cookie(8), (true, 1024, []), End), s_offered, out _, out ushort responseType));
        Assert.Equal((ushort)1024, responseType);
    }

    public static TheoryData<string, byte[], NtsKeFailure> BadRequests => new()
    {
        { "no end", Message(Next(), Aead(true, 15)), NtsKeFailure.Incomplete },
        { "cut inside a record", Message(Next(), Aead(true, 15), End)[..7], NtsKeFailure.Incomplete },
        { "bytes after the end", [.. Message(Next(), Aead(true, 15), End), 0], NtsKeFailure.Malformed },
        { "end not critical", Message(Next(), Aead(true, 15), (false, 0, [])), NtsKeFailure.Malformed },
        { "end with a body", Message(Next(), Aead(true, 15), (true, 0, [0])), NtsKeFailure.Malformed },
        { "no next protocol", Message(Aead(true, 15), End), NtsKeFailure.BadNextProtocol },
        { "two next protocols", Message(Next(), Next(), Aead(true, 15), End), NtsKeFailure.BadNextProtocol },
        { "next protocol not critical", Message(Next(critical: false), Aead(true, 15), End), NtsKeFailure.BadNextProtocol },
        { "odd next protocol body", Message((true, 1, [0]), Aead(true, 15), End), NtsKeFailure.Malformed },
        { "empty aead list", Message(Next(), (true, 4, []), End), NtsKeFailure.Malformed },
        { "no aead", Message(Next(), End), NtsKeFailure.NoAead },
        { "a cookie in a request", Message(Next(), Aead(true, 15), Cookie(8), End), NtsKeFailure.Malformed },
        { "an error in a request", Message(Next(), Aead(true, 15), (true, 2, [0, 1]), End), NtsKeFailure.Malformed },
        { "a port of three bytes", Message(Next(), Aead(true, 15), (true, 7, [0, 0, 123]), End), NtsKeFailure.Malformed },
        { "a server name with a space", Message(Next(), Aead(true, 15), (true, 6, "a b"u8.ToArray()), End), NtsKeFailure.Malformed },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void BadRequest_IsRefused_WithItsReason(string why, byte[] request, NtsKeFailure expected)
    {
        Assert.True(expected == NtsKeMessages.TryReadRequest(request, out NtsKeRequest? read, out _), why);
        Assert.Null(read);
    }

    public static TheoryData<string, byte[], NtsKeFailure, ushort> BadResponses => new()
    {
        { "error record", Message((true, 2, [0, 1]), End), NtsKeFailure.ServerError, 1 },
        { "warning record", Message(Next(), Aead(true, 15), Cookie(8), (true, 3, [0, 9]), End), NtsKeFailure.ServerWarning, 9 },
        { "not ntpv4", Message((true, 1, [0x80, 0]), Aead(true, 15), Cookie(8), End), NtsKeFailure.NotNtpV4, 0 },
        { "two protocols", Message((true, 1, [0, 0, 0, 1]), Aead(true, 15), Cookie(8), End), NtsKeFailure.NotNtpV4, 0 },
        { "aead not offered", Message(Next(), Aead(true, 17), Cookie(8), End), NtsKeFailure.AeadNotOffered, 0 },
        { "two aeads", Message(Next(), Aead(true, 15, 17), Cookie(8), End), NtsKeFailure.AeadNotOffered, 0 },
        { "no aead", Message(Next(), Cookie(8), End), NtsKeFailure.AeadNotOffered, 0 },
        { "no cookie", Message(Next(), Aead(true, 15), End), NtsKeFailure.NoCookies, 0 },
        { "no end", Message(Next(), Aead(true, 15), Cookie(8)), NtsKeFailure.Incomplete, 0 },
    };

    [Theory]
    [MemberData(nameof(BadResponses))]
    public void BadResponse_IsRefused_WithItsReason(string why, byte[] response, NtsKeFailure expected, ushort code)
    {
        Assert.True(expected == NtsKeMessages.TryReadResponse(response, s_offered, out NtsKeResponse? read, out ushort detail), why);
        Assert.Equal(code, detail);
        Assert.Null(read);
    }

    [Fact]
    public void ErrorMessage_IsAnErrorRecordThenTheEnd()
    {
        var buffer = new byte[16];
        int length = NtsKeMessages.WriteError(NtsKeErrorCode.UnrecognizedCriticalRecord, buffer);
        Assert.Equal(Convert.FromHexString("80020002000080000000"), buffer[..length]);
        Assert.Equal(NtsKeFailure.ServerError, NtsKeMessages.TryReadResponse(buffer.AsSpan(0, length), s_offered, out _, out ushort code));
        Assert.Equal((ushort)0, code);
    }

    [Fact]
    public void OversizedMessage_IsRefused() =>
        Assert.Equal(NtsKeFailure.Malformed, NtsKeMessages.TryReadRequest(new byte[NtsKeMessages.MaxMessageLength + 1], out _, out _));
}

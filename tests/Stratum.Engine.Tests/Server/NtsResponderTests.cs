// The time server's NTS half against a client built from the NTS packet codec: a request with a cookie and
// two placeholders gets an authenticated reply (unique identifier echoed, three new cookies under S2C, the
// header's timestamps covered); a cookie of a retired key and a tampered request get the NTSN kiss with
// only the unique identifier; a request without NTS fields is not answered.
using System.Security.Cryptography;
using Stratum.Core.Nts;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Server;

namespace Stratum.Engine.Tests.Server;

public sealed class NtsResponderTests : IDisposable
{
    private readonly NtsCookieKey _old = NtsCookieKey.Create(1);
    private readonly NtsCookieKey _current = NtsCookieKey.Create(2);
    private readonly NtsSessionKeys _keys = new(NtsKeMessages.AesSivCmac256, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
    private readonly byte[] _uniqueId = RandomNumberGenerator.GetBytes(32);
    private readonly NtsResponder _responder;

    public NtsResponderTests() => _responder = new NtsResponder(id => id == 1 ? _old : id == 2 ? _current : null, () => _current);

    public void Dispose()
    {
        _old.Dispose();
        _current.Dispose();
    }

    private byte[] Request(NtsCookieKey sealer, int placeholders)
    {
        var packet = new byte[1024];
        new NtpHeader(LeapIndicator.Unsynchronized, 4, NtpMode.Client, 0, 6, 0, NtpShort.Zero, NtpShort.Zero, ReferenceId.None,
            NtpTimestamp.Zero, NtpTimestamp.Zero, NtpTimestamp.Zero, new NtpTimestamp(0x1122334455667788)).Write(packet);
        using var c2s = new AesSiv(_keys.ClientToServer);
        int length = NtsExtensionFields.WriteRequest(packet, _uniqueId, sealer.Seal(_keys), placeholders, c2s, RandomNumberGenerator.GetBytes(16));
        return packet[..length];
    }

    private static byte[] ServerHeader()
    {
        var reply = new byte[2048];
        var now = new NtpTimestamp(0xEEC1E8ED00000000);
        new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Server, 2, 6, -20, NtpShort.FromSeconds(0.001), NtpShort.FromSeconds(0.001),
            ReferenceId.FromAscii("GPS"), now, new NtpTimestamp(0x1122334455667788), now, now).Write(reply);
        return reply;
    }

    [Fact]
    public void Request_WithACookieOfAnyKnownKey_GetsAnAuthenticatedReplyWithNewCookies()
    {
        byte[] reply = ServerHeader();
        Assert.Equal(NtsOutcome.Reply, _responder.Respond(Request(_old, placeholders: 2), reply, out int length));

        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryRead(reply.AsSpan(0, length), isRequest: false, out NtsFields fields));
        Assert.True(fields.UniqueIdentifier.SequenceEqual(_uniqueId));
        using var s2c = new AesSiv(_keys.ServerToClient);
        var plaintext = new byte[length];
        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryOpen(reply.AsSpan(0, length), fields, s2c, plaintext, out int plaintextLength));
        List<byte[]> cookies = NtsExtensionFields.ReadCookieFields(plaintext.AsSpan(0, plaintextLength));
        Assert.Equal(3, cookies.Count);
        Assert.All(cookies, cookie => Assert.Equal((uint)2, NtsCookieKey.IdOf(cookie)));

        // The header is covered: a changed transmit timestamp no longer authenticates.
        reply[47] ^= 1;
        Assert.Equal(NtsPacketFailure.AuthenticationFailed, NtsExtensionFields.TryOpen(reply.AsSpan(0, length), fields, s2c, plaintext, out _));
        Assert.Equal(1, _responder.Replies);
    }

    [Fact]
    public void RetiredKeyOrTamperedRequest_GetTheNtsNak()
    {
        using NtsCookieKey retired = NtsCookieKey.Create(9);
        byte[] reply = ServerHeader();
        Assert.Equal(NtsOutcome.Nak, _responder.Respond(Request(retired, 0), reply, out int length));
        NtpHeader nak = NtpHeader.Read(reply);
        Assert.Equal(0, nak.Stratum);
        Assert.Equal(ReferenceId.FromAscii("NTSN"), nak.ReferenceId);
        Assert.Equal(new NtpTimestamp(0x1122334455667788), nak.OriginTime);
        Assert.Equal(NtpHeader.Size + 36, length);

        byte[] tampered = Request(_current, 0);
        tampered[40] ^= 1;
        Assert.Equal(NtsOutcome.Nak, _responder.Respond(tampered, ServerHeader(), out _));
        Assert.Equal(2, _responder.Naks);
    }

    [Fact]
    public void RequestWithoutNtsFields_IsDropped()
    {
        var plain = new byte[48];
        plain[0] = 0x23;
        Assert.Equal(NtsOutcome.Drop, _responder.Respond(plain, ServerHeader(), out int length));
        Assert.Equal(0, length);
        Assert.Equal(1, _responder.Dropped);
    }
}

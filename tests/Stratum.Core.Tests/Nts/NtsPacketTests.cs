// An NTS exchange in memory (RFC 8915 §5-6): a server's cookie carries the session keys back to it; a
// client's request (Unique Identifier, cookie, a placeholder, authenticator under C2S) is read, its
// cookie opened and its authenticator verified; the response (the Unique Identifier, new cookies
// encrypted under S2C) gives the client two cookies the server can open. The request is 232 bytes with
// no placeholder, as chrony's and NTPsec's are. Every alteration is refused with its reason.
using System.Security.Cryptography;
using Stratum.Core.Nts;

namespace Stratum.Core.Tests.Nts;

public class NtsPacketTests
{
    private readonly NtsCookieKey _serverKey = NtsCookieKey.Create(7);
    private readonly NtsSessionKeys _keys = new(NtsKeMessages.AesSivCmac256, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
    private readonly byte[] _uniqueId = RandomNumberGenerator.GetBytes(NtsExtensionFields.UniqueIdentifierLength);

    private byte[] Request(int placeholders, byte[]? cookie = null)
    {
        var packet = new byte[1024];
        packet[0] = 0x23; // NTPv4 client
        using var c2s = new AesSiv(_keys.ClientToServer);
        int length = NtsExtensionFields.WriteRequest(packet, _uniqueId, cookie ?? _serverKey.Seal(_keys), placeholders, c2s, RandomNumberGenerator.GetBytes(16));
        return packet[..length];
    }

    [Fact]
    public void Cookie_SealsAndOpensTheSessionKeys_104Bytes()
    {
        byte[] cookie = _serverKey.Seal(_keys);
        Assert.Equal(104, cookie.Length);
        Assert.Equal((uint)7, NtsCookieKey.IdOf(cookie));
        Assert.True(_serverKey.TryOpen(cookie, out NtsSessionKeys opened));
        Assert.Equal(_keys.Aead, opened.Aead);
        Assert.Equal(_keys.ClientToServer, opened.ClientToServer);
        Assert.Equal(_keys.ServerToClient, opened.ServerToClient);

        using var other = NtsCookieKey.Create(7);
        Assert.False(other.TryOpen(cookie, out _));
        cookie[50] ^= 1;
        Assert.False(_serverKey.TryOpen(cookie, out _));
    }

    [Fact]
    public void Exchange_RequestVerified_ResponseGivesNewCookies()
    {
        Assert.Equal(232, Request(placeholders: 0).Length);
        byte[] request = Request(placeholders: 1);
        Assert.Equal(232 + 108, request.Length);

        // The server.
        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryRead(request, isRequest: true, out NtsFields fields));
        Assert.Equal(1, fields.Placeholders);
        Assert.Equal(104, fields.PlaceholderLength);
        Assert.True(_serverKey.TryOpen(fields.Cookie, out NtsSessionKeys keys));
        using var c2s = new AesSiv(keys.ClientToServer);
        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryOpen(request, fields, c2s, new byte[64], out int requestPlaintext));
        Assert.Equal(0, requestPlaintext);
        byte[][] fresh = [_serverKey.Seal(keys), _serverKey.Seal(keys)];
        var encrypted = new byte[512];
        int encryptedLength = NtsExtensionFields.WriteCookieFields(fresh, encrypted);
        var response = new byte[1024];
        response[0] = 0x24;
        using var s2c = new AesSiv(keys.ServerToClient);
        int responseLength = NtsExtensionFields.WriteResponse(response, fields.UniqueIdentifier, encrypted.AsSpan(0, encryptedLength), s2c, RandomNumberGenerator.GetBytes(16));

        // The client.
        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryRead(response.AsSpan(0, responseLength), isRequest: false, out NtsFields answer));
        Assert.True(answer.UniqueIdentifier.SequenceEqual(_uniqueId));
        using var clientS2c = new AesSiv(_keys.ServerToClient);
        var plaintext = new byte[512];
        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryOpen(response.AsSpan(0, responseLength), answer, clientS2c, plaintext, out int length));
        List<byte[]> cookies = NtsExtensionFields.ReadCookieFields(plaintext.AsSpan(0, length));
        Assert.Equal(2, cookies.Count);
        Assert.All(cookies, cookie => Assert.True(_serverKey.TryOpen(cookie, out _)));
    }

    [Fact]
    public void AnyAlteredByteBeforeTheAuthenticator_FailsAuthentication()
    {
        byte[] request = Request(placeholders: 0);
        using var c2s = new AesSiv(_keys.ClientToServer);
        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryRead(request, true, out NtsFields fields));
        int authenticator = fields.AuthenticatorOffset;
        for (int i = 0; i < authenticator; i += 7)
        {
            byte[] altered = (byte[])request.Clone();
            altered[i] ^= 0x40;
            NtsPacketFailure read = NtsExtensionFields.TryRead(altered, true, out NtsFields alteredFields);
            if (read == NtsPacketFailure.None)
            {
                Assert.Equal(NtsPacketFailure.AuthenticationFailed, NtsExtensionFields.TryOpen(altered, alteredFields, c2s, new byte[64], out _));
            }
        }
    }

    [Fact]
    public void MalformedRequests_AreRefusedWithTheirReason()
    {
        byte[] request = Request(placeholders: 0);
        Assert.Equal(NtsPacketFailure.Malformed, NtsExtensionFields.TryRead(request.AsSpan(0, 60), true, out _));
        Assert.Equal(NtsPacketFailure.Malformed, NtsExtensionFields.TryRead(request.AsSpan(0, request.Length - 4), true, out _));
        Assert.Equal(NtsPacketFailure.NoCookie, NtsExtensionFields.TryRead(request, isRequest: false, out _));

        // A field after the authenticator.
        byte[] trailing = [.. request, 0x01, 0x04, 0x00, 0x10, .. new byte[12]];
        Assert.Equal(NtsPacketFailure.BadAuthenticator, NtsExtensionFields.TryRead(trailing, true, out _));

        // No Unique Identifier: its type changed to an unknown one.
        byte[] noId = (byte[])request.Clone();
        noId[48] = 0x7F;
        Assert.Equal(NtsPacketFailure.NoUniqueIdentifier, NtsExtensionFields.TryRead(noId, true, out _));

        // An authenticator whose ciphertext length runs past the packet.
        byte[] longCiphertext = (byte[])request.Clone();
        longCiphertext[^(40 - 6)] = 0xFF;
        Assert.Equal(NtsPacketFailure.BadAuthenticator, NtsExtensionFields.TryRead(longCiphertext, true, out _));
    }
}

// NtsTarget ("nts"): the NTS parsers over any bytes (RFC 8915). The first octet picks one: 0 an NTS-KE
// request, 1 an NTS-KE response (to a client that offered AEAD 15), 2 an NTP request with NTS fields, 3
// an NTP response with NTS fields, 4 a cookie; the rest is the input. The packet and cookie parsers run
// with fixed keys (a cookie master key and C2S/S2C keys), so a seed made with them reaches the AEAD.
// Beyond "no exception": a request or response that reads back is written again and reads the same; a
// packet's fields lie inside it, the authenticator last; an opened authenticator gives a plaintext 16
// bytes shorter than its ciphertext; an opened cookie carries keys of its AEAD's length.
using Stratum.Core.Nts;

namespace Stratum.Fuzz.Targets;

internal static class NtsTarget
{
    /// <summary>The fixed keys seeds are made with.</summary>
    public static readonly byte[] MasterKey = [.. Enumerable.Range(0, NtsCookieKey.MasterKeyLength).Select(i => (byte)(i * 7))];
    public static readonly byte[] ClientToServer = [.. Enumerable.Range(0, 32).Select(i => (byte)(0x40 + i))];
    public static readonly byte[] ServerToClient = [.. Enumerable.Range(0, 32).Select(i => (byte)(0x80 + i))];
    public const uint MasterKeyId = 7;

    private static readonly ushort[] s_offered = [NtsKeMessages.AesSivCmac256];
    private static readonly NtsCookieKey s_cookieKey = new(MasterKeyId, MasterKey);
    private static readonly AesSiv s_c2s = new(ClientToServer);
    private static readonly AesSiv s_s2c = new(ServerToClient);

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        ReadOnlySpan<byte> data = input[1..];
        switch (input[0] % 5)
        {
            case 0: Request(data); break;
            case 1: Response(data); break;
            case 2: Packet(data, isRequest: true); break;
            case 3: Packet(data, isRequest: false); break;
            default: Cookie(data); break;
        }
    }

    private static void Request(ReadOnlySpan<byte> data)
    {
        if (NtsKeMessages.TryReadRequest(data, out NtsKeRequest? request, out _) != NtsKeFailure.None)
        {
            return;
        }

        var buffer = new byte[NtsKeMessages.MaxMessageLength * 2];
        int length = NtsKeMessages.WriteRequest(request!, buffer);
        FuzzInvariantException.Check(NtsKeMessages.TryReadRequest(buffer.AsSpan(0, length), out NtsKeRequest? again, out _) == NtsKeFailure.None, "a request written back does not read");
        FuzzInvariantException.Check(again!.NextProtocols.SequenceEqual(request!.NextProtocols) && again.Aeads.SequenceEqual(request.Aeads)
            && again.Server == request.Server && again.Port == request.Port, "a request read back differs");
    }

    private static void Response(ReadOnlySpan<byte> data)
    {
        if (NtsKeMessages.TryReadResponse(data, s_offered, out NtsKeResponse? response, out _) != NtsKeFailure.None)
        {
            return;
        }

        FuzzInvariantException.Check(response!.Cookies.Count > 0 && s_offered.Contains(response.Aead), "a response without cookie or with an AEAD not offered");
        var buffer = new byte[NtsKeMessages.MaxMessageLength * 2];
        int length = NtsKeMessages.WriteResponse(response, buffer);
        FuzzInvariantException.Check(NtsKeMessages.TryReadResponse(buffer.AsSpan(0, length), s_offered, out NtsKeResponse? again, out _) == NtsKeFailure.None,
            "a response written back does not read");
        FuzzInvariantException.Check(again!.Aead == response.Aead && again.Cookies.Count == response.Cookies.Count && again.Server == response.Server
            && again.Port == response.Port, "a response read back differs");
    }

    private static void Packet(ReadOnlySpan<byte> packet, bool isRequest)
    {
        if (NtsExtensionFields.TryRead(packet, isRequest, out NtsFields fields) != NtsPacketFailure.None)
        {
            return;
        }

        FuzzInvariantException.Check(fields.AuthenticatorOffset >= 48 && fields.AuthenticatorOffset < packet.Length, $"authenticator at {fields.AuthenticatorOffset}");
        FuzzInvariantException.Check(fields.UniqueIdentifier.Length >= NtsExtensionFields.UniqueIdentifierLength, "short unique identifier");
        FuzzInvariantException.Check(fields.Ciphertext.Length >= AesSiv.TagSize && fields.Nonce.Length > 0, "authenticator lengths");
        var plaintext = new byte[packet.Length];
        if (NtsExtensionFields.TryOpen(packet, fields, isRequest ? s_c2s : s_s2c, plaintext, out int length) == NtsPacketFailure.None)
        {
            FuzzInvariantException.Check(length == fields.Ciphertext.Length - AesSiv.TagSize, $"plaintext of {length} bytes from {fields.Ciphertext.Length}");
            _ = NtsExtensionFields.ReadCookieFields(plaintext.AsSpan(0, length));
        }

        if (isRequest && s_cookieKey.TryOpen(fields.Cookie, out NtsSessionKeys keys))
        {
            CheckKeys(keys);
        }
    }

    private static void Cookie(ReadOnlySpan<byte> cookie)
    {
        if (s_cookieKey.TryOpen(cookie, out NtsSessionKeys keys))
        {
            CheckKeys(keys);
        }
    }

    private static void CheckKeys(NtsSessionKeys keys)
    {
        int length = NtsSessionKeys.KeyLength(keys.Aead);
        FuzzInvariantException.Check(length > 0 && keys.ClientToServer.Length == length && keys.ServerToClient.Length == length, $"cookie keys for AEAD {keys.Aead}");
    }
}

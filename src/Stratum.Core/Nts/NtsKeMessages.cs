// NtsKeMessages: the two NTS-KE messages (RFC 8915 §4) as values, read and written. A client's request names
// the next protocols it speaks (NTPv4 is 0), the AEAD algorithms it accepts, and optionally a server and
// port it would like; the server's response picks one protocol and one AEAD, carries the cookies, and may
// send the client to another NTP server or port. Reading checks the rules both ends rely on: the records
// end with a critical End of Message and nothing after it; exactly one Next Protocol record, critical; an
// unknown record that is critical is refused (the server answers "unrecognized critical record"), an
// unknown one that is not is skipped; a server's error or warning ends the exchange; a response must
// choose NTPv4 and an AEAD the client offered and give at least one cookie. The critical bit is accepted
// either way where the RFC leaves it to the sender (AEAD, Server, Port: chrony sets it, NTPsec does not).
// Failures are typed (NtsKeFailure) so the daemon can log why and the server can answer with the code.
using System.Buffers.Binary;
using System.Text;

namespace Stratum.Core.Nts;

/// <summary>Why a message could not be used.</summary>
public enum NtsKeFailure
{
    None = 0,
    /// <summary>The bytes end before the End of Message record: more are needed.</summary>
    Incomplete,
    /// <summary>Bytes after the End of Message record, a record whose body has the wrong shape, or a record that may not be there.</summary>
    Malformed,
    /// <summary>A record type this end does not know, with the critical bit set.</summary>
    UnrecognizedCriticalRecord,
    /// <summary>No Next Protocol record, more than one, or one that is not critical.</summary>
    BadNextProtocol,
    /// <summary>A request offers no AEAD algorithm.</summary>
    NoAead,
    /// <summary>The server sent an Error record (its code in the failure detail).</summary>
    ServerError,
    /// <summary>The server sent a Warning record (none are defined, so the client stops).</summary>
    ServerWarning,
    /// <summary>The response does not choose NTPv4.</summary>
    NotNtpV4,
    /// <summary>The response chooses an AEAD the client did not offer, or none.</summary>
    AeadNotOffered,
    /// <summary>The response carries no cookie.</summary>
    NoCookies,
}

/// <summary>A client's request (RFC 8915 §4.1).</summary>
public sealed record NtsKeRequest(IReadOnlyList<ushort> NextProtocols, IReadOnlyList<ushort> Aeads)
{
    /// <summary>The NTP server the client would like (a Server record), or null.</summary>
    public string? Server { get; init; }

    /// <summary>The NTP port the client would like (a Port record), or null.</summary>
    public ushort? Port { get; init; }
}

/// <summary>A server's response (RFC 8915 §4.1).</summary>
public sealed record NtsKeResponse(ushort Aead, IReadOnlyList<byte[]> Cookies)
{
    /// <summary>The NTP server to use instead of the key establishment server's address, or null.</summary>
    public string? Server { get; init; }

    /// <summary>The NTP port to use instead of 123, or null.</summary>
    public ushort? Port { get; init; }
}

/// <summary>Reads and writes NTS-KE requests and responses.</summary>
public static class NtsKeMessages
{
    /// <summary>NTPv4's Next Protocol id.</summary>
    public const ushort NtpV4 = 0;

    /// <summary>AEAD_AES_SIV_CMAC_256 (RFC 5297), the AEAD every NTS implementation supports.</summary>
    public const ushort AesSivCmac256 = 15;

    public const ushort AesSivCmac384 = 16;

    public const ushort AesSivCmac512 = 17;

    /// <summary>Largest message either end accepts (a response with eight 100-byte cookies is about 900 bytes).</summary>
    public const int MaxMessageLength = 16384;

    /// <summary>Reads a client's request. On failure <paramref name="unknownType"/> names an unrecognized critical record.</summary>
    public static NtsKeFailure TryReadRequest(ReadOnlySpan<byte> data, out NtsKeRequest? request, out ushort unknownType)
    {
        request = null;
        unknownType = 0;
        var fields = new CommonFields();
        NtsKeFailure failure = Walk(data, (in NtsKeRecord record, ref ushort unknown) =>
            fields.TryRead(record) ?? ((NtsKeRecordType)record.Type is NtsKeRecordType.Error or NtsKeRecordType.Warning or NtsKeRecordType.NewCookie
                ? NtsKeFailure.Malformed
                : Unknown(record, ref unknown)), ref unknownType);
        if (failure != NtsKeFailure.None)
        {
            return failure;
        }

        if (fields.NextProtocolRecords != 1)
        {
            return NtsKeFailure.BadNextProtocol;
        }

        if (fields.Aeads.Count == 0)
        {
            return NtsKeFailure.NoAead;
        }

        request = new NtsKeRequest(fields.Protocols, fields.Aeads) { Server = fields.Server, Port = fields.Port };
        return NtsKeFailure.None;
    }

    /// <summary>Reads a server's response to a request that offered <paramref name="offeredAeads"/>. A server error's
    /// code is in <paramref name="code"/>.</summary>
    public static NtsKeFailure TryReadResponse(ReadOnlySpan<byte> data, IReadOnlyList<ushort> offeredAeads, out NtsKeResponse? response, out ushort code)
    {
        ArgumentNullException.ThrowIfNull(offeredAeads);
        response = null;
        code = 0;
        var fields = new CommonFields();
        var cookies = new List<byte[]>();
        NtsKeFailure failure = Walk(data, (in NtsKeRecord record, ref ushort detail) =>
        {
            if (fields.TryRead(record) is NtsKeFailure common)
            {
                return common;
            }

            switch ((NtsKeRecordType)record.Type)
            {
                case NtsKeRecordType.NewCookie:
                    cookies.Add(record.Body.ToArray());
                    return NtsKeFailure.None;
                case NtsKeRecordType.Error:
                    record.TryGetNumber(out detail);
                    return NtsKeFailure.ServerError;
                case NtsKeRecordType.Warning:
                    record.TryGetNumber(out detail);
                    return NtsKeFailure.ServerWarning;
                default:
                    return Unknown(record, ref detail);
            }
        }, ref code);
        if (failure != NtsKeFailure.None)
        {
            return failure;
        }

        if (fields.NextProtocolRecords != 1)
        {
            return NtsKeFailure.BadNextProtocol;
        }

        if (fields.Protocols.Count != 1 || fields.Protocols[0] != NtpV4)
        {
            return NtsKeFailure.NotNtpV4;
        }

        if (fields.Aeads.Count != 1 || !offeredAeads.Contains(fields.Aeads[0]))
        {
            return NtsKeFailure.AeadNotOffered;
        }

        if (cookies.Count == 0)
        {
            return NtsKeFailure.NoCookies;
        }

        response = new NtsKeResponse(fields.Aeads[0], cookies) { Server = fields.Server, Port = fields.Port };
        return NtsKeFailure.None;
    }

    /// <summary>Writes a request for NTPv4 with <paramref name="request"/>'s AEADs (and server or port, if any); returns its length.</summary>
    public static int WriteRequest(NtsKeRequest request, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(request);
        int length = NtsKeRecord.WriteNumbers(true, NtsKeRecordType.NextProtocol, [.. request.NextProtocols], destination);
        length += NtsKeRecord.WriteNumbers(true, NtsKeRecordType.AeadAlgorithm, [.. request.Aeads], destination[length..]);
        length += WriteServerAndPort(request.Server, request.Port, destination[length..]);
        return length + NtsKeRecord.Write(true, NtsKeRecordType.EndOfMessage, [], destination[length..]);
    }

    /// <summary>Writes a response choosing NTPv4 and <paramref name="response"/>'s AEAD with its cookies; returns its length.</summary>
    public static int WriteResponse(NtsKeResponse response, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(response);
        int length = NtsKeRecord.WriteNumbers(true, NtsKeRecordType.NextProtocol, [NtpV4], destination);
        length += NtsKeRecord.WriteNumbers(true, NtsKeRecordType.AeadAlgorithm, [response.Aead], destination[length..]);
        foreach (byte[] cookie in response.Cookies)
        {
            length += NtsKeRecord.Write(false, NtsKeRecordType.NewCookie, cookie, destination[length..]);
        }

        length += WriteServerAndPort(response.Server, response.Port, destination[length..]);
        return length + NtsKeRecord.Write(true, NtsKeRecordType.EndOfMessage, [], destination[length..]);
    }

    /// <summary>Writes an Error response (the code, then End of Message); returns its length.</summary>
    public static int WriteError(NtsKeErrorCode code, Span<byte> destination)
    {
        int length = NtsKeRecord.WriteNumbers(true, NtsKeRecordType.Error, [(ushort)code], destination);
        return length + NtsKeRecord.Write(true, NtsKeRecordType.EndOfMessage, [], destination[length..]);
    }

    private delegate NtsKeFailure RecordVisitor(in NtsKeRecord record, ref ushort detail);

    // The records both messages may carry: Next Protocol (counted: one critical one is required), AEAD, Server, Port.
    private sealed class CommonFields
    {
        public List<ushort> Protocols { get; } = [];

        public List<ushort> Aeads { get; } = [];

        public string? Server { get; private set; }

        public ushort? Port { get; private set; }

        public int NextProtocolRecords { get; private set; }

        // The record's verdict when it is one of these, else null.
        public NtsKeFailure? TryRead(in NtsKeRecord record)
        {
            switch ((NtsKeRecordType)record.Type)
            {
                case NtsKeRecordType.NextProtocol:
                    NextProtocolRecords += record.IsCritical ? 1 : 100;
                    return ReadNumbers(record, Protocols);
                case NtsKeRecordType.AeadAlgorithm:
                    return ReadNumbers(record, Aeads);
                case NtsKeRecordType.Server:
                    NtsKeFailure failure = ReadServer(record, out string? server);
                    Server = server;
                    return failure;
                case NtsKeRecordType.Port:
                    bool ok = record.TryGetNumber(out ushort value);
                    Port = value;
                    return ok ? NtsKeFailure.None : NtsKeFailure.Malformed;
                default:
                    return null;
            }
        }
    }

    // Every record up to a critical End of Message, which must be the last bytes.
    private static NtsKeFailure Walk(ReadOnlySpan<byte> data, RecordVisitor visit, ref ushort detail)
    {
        if (data.Length > MaxMessageLength)
        {
            return NtsKeFailure.Malformed;
        }

        int offset = 0;
        while (NtsKeRecord.TryRead(data[offset..], out NtsKeRecord record, out int length))
        {
            offset += length;
            if (record.Is(NtsKeRecordType.EndOfMessage))
            {
                return record.IsCritical && record.Body.IsEmpty && offset == data.Length ? NtsKeFailure.None : NtsKeFailure.Malformed;
            }

            NtsKeFailure failure = visit(record, ref detail);
            if (failure != NtsKeFailure.None)
            {
                return failure;
            }
        }

        return NtsKeFailure.Incomplete;
    }

    private static NtsKeFailure Unknown(in NtsKeRecord record, ref ushort detail)
    {
        if (!record.IsCritical)
        {
            return NtsKeFailure.None;
        }

        detail = record.Type;
        return NtsKeFailure.UnrecognizedCriticalRecord;
    }

    private static NtsKeFailure ReadNumbers(in NtsKeRecord record, List<ushort> into)
    {
        if (!record.TryGetNumbers(out ReadOnlySpan<byte> numbers) || numbers.IsEmpty)
        {
            return NtsKeFailure.Malformed;
        }

        for (int i = 0; i < numbers.Length; i += 2)
        {
            into.Add(BinaryPrimitives.ReadUInt16BigEndian(numbers[i..]));
        }

        return NtsKeFailure.None;
    }

    // A Server record: a host name or address in ASCII (RFC 8915 §4.1.7), printable, not empty.
    private static NtsKeFailure ReadServer(in NtsKeRecord record, out string? server)
    {
        server = null;
        foreach (byte b in record.Body)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return NtsKeFailure.Malformed;
            }
        }

        server = record.Body.IsEmpty ? null : Encoding.ASCII.GetString(record.Body);
        return server is null ? NtsKeFailure.Malformed : NtsKeFailure.None;
    }

    private static int WriteServerAndPort(string? server, ushort? port, Span<byte> destination)
    {
        int length = 0;
        if (server is not null)
        {
            length += NtsKeRecord.Write(true, NtsKeRecordType.Server, Encoding.ASCII.GetBytes(server), destination);
        }

        if (port is ushort value)
        {
            length += NtsKeRecord.WriteNumbers(true, NtsKeRecordType.Port, [value], destination[length..]);
        }

        return length;
    }
}

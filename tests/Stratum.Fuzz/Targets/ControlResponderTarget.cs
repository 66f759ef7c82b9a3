// ControlResponderTarget ("mode6-responder"): whole mode 6 requests (ntpq) through NtpEngine.OnDatagram
// to the query gate and ControlResponder of a warmed-up EngineFixture, with the daemon's own
// RuntimeConfigurator behind `:config`.
// Input: two option octets, then the request (its mode bits are forced to 6).
//   options[0] bits 0-3: MacChoice (the harness signs the request: MD5, SHA1, AES-CMAC, untrusted,
//                        access-listed, corrupted, unknown key id, crypto-NAK, or as sent)
//   options[0] bits 4-6: which fixture client sends it (its restrict flags: none, nomodify notrust,
//                        nomrulist, limited, noquery, port 0)
//   options[0] bit 7:    fetch a nonce first and write it after the request's first "nonce=", so
//                        READ_MRU gets past its handshake
//   options[1] bit 0:    the controlkey is the AES-CMAC key instead of the MD5 one
//   options[1] bit 1:    17 s pass between the nonce and the request (the nonce has expired)
// Invariants beyond "no exception": the gate answers or drops, and a dropped request gets nothing;
// a response, error, fragment or nonzero-offset request is never answered; every answer passes
// ControlAnswerChecks, signed exactly when the request's MAC verifies with a key trusted for the
// source (a BADFMT error excepted: the format is judged before the MAC); a write (WRITEVAR,
// WRITECLOCK, CONFIGURE, SAVECONFIG) without the controlkey gets CERR_PERMISSION; the configurator
// runs only for a CONFIGURE signed with the controlkey from a source without `nomodify`; and after
// it ran, every association (including any it mobilized) still reads back well-formed.
using System.Buffers.Binary;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Mode6;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Control;

namespace Stratum.Fuzz.Targets;

internal static class ControlResponderTarget
{
    /// <summary>Longest request taken from the input: a fragment, padding and the longest MAC fit with room to spare.</summary>
    public const int MaxRequestLength = 1024;

    private static readonly byte[] s_nonceTag = "nonce="u8.ToArray();

    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInputReader(input);
        byte options = reader.ReadByte();
        byte moreOptions = reader.ReadByte();
        MacChoice mac = MacSigner.Choice(options & 0x0F);
        ClientAddress client = EngineFixture.Clients[(options >> 4) & 7];
        ReadOnlySpan<byte> rest = reader.ReadRest();
        byte[] datagram = rest[..Math.Min(rest.Length, MaxRequestLength)].ToArray();
        if (datagram.Length > 0)
        {
            datagram[0] = (byte)((datagram[0] & 0xF8) | 6);
        }

        EngineFixture fixture = EngineFixture.Create();
        var configurator = new RecordingConfigurator(fixture.Engine.Control.Configurator!);
        fixture.Engine.Control.Configurator = configurator;
        uint controlKey = (moreOptions & 1) != 0 ? EngineFixture.AesCmacKeyId : EngineFixture.ControlKey;
        fixture.Engine.Control.ControlKey = controlKey;
        RestrictFlags flags = fixture.Engine.Server.Access!.Match(client).Flags;
        if ((options & 0x80) != 0)
        {
            EchoNonce(fixture, client, flags, datagram);
            if ((moreOptions & 2) != 0)
            {
                fixture.Advance(17 * LoopTime.NanosecondsPerSecond);
            }
        }

        byte[] request = MacSigner.SignControl(datagram, mac);
        SymmetricKey? key = AuthenticatedBy(fixture, request, client);
        DatagramResult result = fixture.SendToServer(client, request, []);
        List<byte[]> answers = fixture.Answers();
        FuzzInvariantException.Check(result.Disposition is DatagramDisposition.Answered or DatagramDisposition.Dropped,
            $"a mode 6 request ended as {result.Disposition}");
        FuzzInvariantException.Check(result.Disposition == DatagramDisposition.Answered || answers.Count == 0, "a dropped request was answered");
        if (answers.Count == 0)
        {
            FuzzInvariantException.Check(configurator.Calls == 0, "the configurator ran for a request that got no answer");
            return;
        }

        FuzzInvariantException.Check((request[1] & 0xE0) == 0 && BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(8)) == 0,
            "a response, error, fragment or nonzero-offset request was answered");
        ControlErrorCode? error = ControlAnswerChecks.ErrorOf(answers);
        ControlAnswerChecks.Check(request, answers, error == ControlErrorCode.BadFormat ? null : key);
        var opcode = (ControlOpcode)(request[1] & 0x1F);
        bool write = opcode is ControlOpcode.WriteVariables or ControlOpcode.WriteClock or ControlOpcode.Configure or ControlOpcode.SaveConfig;
        bool byControlKey = key is not null && key.KeyId == controlKey;
        FuzzInvariantException.Check(!write || byControlKey || error is ControlErrorCode.Permission or ControlErrorCode.BadFormat,
            $"{opcode} without the controlkey answered with {error?.ToString() ?? "data"}");
        if (configurator.Calls > 0)
        {
            FuzzInvariantException.Check(opcode == ControlOpcode.Configure && byControlKey && (flags & RestrictFlags.NoModify) == 0,
                $"the configurator ran for {opcode} (key {key?.KeyId}, flags {flags})");
            ReadEveryAssociation(fixture);
        }
    }

    /// <summary>The key whose valid MAC <paramref name="request"/> carries and that <paramref name="client"/> may use, or null.</summary>
    private static SymmetricKey? AuthenticatedBy(EngineFixture fixture, ReadOnlySpan<byte> request, in ClientAddress client)
    {
        if (request.Length < ControlMessage.HeaderSize)
        {
            return null;
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(request[10..]);
        return ControlMac.TryFind(request, count, out uint keyId) && fixture.Engine.Server.Keys.TryGetTrusted(keyId, client, out SymmetricKey? key)
            && ControlMac.Verify(key, request, count)
            ? key
            : null;
    }

    /// <summary>REQ_NONCE from <paramref name="client"/>; the nonce goes after the first "nonce=" in the request's data.</summary>
    private static void EchoNonce(EngineFixture fixture, in ClientAddress client, RestrictFlags flags, byte[] datagram)
    {
        var ask = new byte[ControlMessage.HeaderSize];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.RequestNonce, 1, 0, 0), [], ask);
        IReadOnlyList<byte[]> answer = fixture.Engine.Control.Respond(ask, fixture.Now, client, flags);
        FuzzInvariantException.Check(answer.Count == 1 && ControlMessage.TryRead(answer[0], out _, out ReadOnlySpan<byte> text, out _, out _)
            && text.Length == s_nonceTag.Length + ControlNonce.TextLength && text.StartsWith(s_nonceTag), "REQ_NONCE not answered with one nonce");
        ControlMessage.TryRead(answer[0], out _, out ReadOnlySpan<byte> issued, out _, out _);
        if (datagram.Length <= ControlMessage.HeaderSize)
        {
            return;
        }

        Span<byte> data = datagram.AsSpan(ControlMessage.HeaderSize);
        int at = data.IndexOf(s_nonceTag);
        if (at >= 0)
        {
            Span<byte> value = data[(at + s_nonceTag.Length)..];
            issued[s_nonceTag.Length..][..Math.Min(value.Length, ControlNonce.TextLength)].CopyTo(value);
        }
    }

    /// <summary>READSTAT, then READVAR of the system and of every association it lists: all well-formed.</summary>
    internal static void ReadEveryAssociation(EngineFixture fixture) => ReadEveryAssociation(fixture.Engine, fixture.Now);

    /// <summary>READSTAT, then READVAR of the system and of every association it lists, asked of <paramref name="engine"/> at <paramref name="now"/>.</summary>
    internal static void ReadEveryAssociation(NtpEngine engine, LoopTime now)
    {
        byte[] status = Ask(engine, now, ControlOpcode.ReadStatus, 0, out List<byte[]> answers);
        byte[] ids = ControlAnswerChecks.Check(status, answers, null);
        FuzzInvariantException.Check(answers.Count > 0 && ControlAnswerChecks.ErrorOf(answers) is null && ids.Length % 4 == 0, "READSTAT of the system failed");
        for (int offset = -4; offset < ids.Length; offset += 4)
        {
            ushort id = offset < 0 ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(ids.AsSpan(offset));
            byte[] request = Ask(engine, now, ControlOpcode.ReadVariables, id, out answers);
            ControlAnswerChecks.Check(request, answers, null);
            FuzzInvariantException.Check(answers.Count > 0 && ControlAnswerChecks.ErrorOf(answers) is null, $"READVAR of listed association {id} failed");
        }
    }

    private static byte[] Ask(NtpEngine engine, LoopTime now, ControlOpcode opcode, ushort associationId, out List<byte[]> answers)
    {
        var request = new byte[ControlMessage.HeaderSize];
        ControlMessage.Write(ControlHeader.Request(opcode, 2, associationId, 0), [], request);
        answers = [.. engine.Control.Respond(request, now, EngineFixture.Clients[0], RestrictFlags.None)];
        return request;
    }

    /// <summary>Counts the configurator's calls and passes them to the daemon's.</summary>
    private sealed class RecordingConfigurator(IRuntimeConfigurator inner) : IRuntimeConfigurator
    {
        public int Calls { get; private set; }

        public string Configure(string text, in ClientAddress source, LoopTime now, EngineActions actions)
        {
            Calls++;
            return inner.Configure(text, source, now, actions);
        }
    }
}

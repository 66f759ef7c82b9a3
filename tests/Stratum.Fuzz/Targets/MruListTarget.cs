// MruListTarget ("mrulist"): ntpq's mrulist parameters (MruRequest.Parse), the answer writer
// (MruListWriter.Write) over the warmed-up EngineFixture's MRU list, and the whole READ_MRU request
// through the engine with a valid nonce in front of the input.
// Input: one option octet, then the request's variable list ("frags=32, mincount=2, last.0=…,
// addr.0=…"; the seeds hold addresses and times of the fixture's entries, so continuations match).
//   option bit 0:    the request comes from ::1 instead of 127.0.0.1
//   option bits 1-2: time passing before the request: none, 1 s, 100 s, 4000 s (maxlstint, aging)
// Invariants beyond "no exception":
// - Parse: a result among the three; a nonce of at most 24 octets; at most 16 continuation pairs;
//   parsing the same text with an instance reused after another request gives the same values.
// - Write: CERR_BADVALUE exactly when neither a valid frags= nor a valid limit= is given; else the
//   answer is "last.older, addr.older" (only for a continuation), "nonce", then whole entries
//   addr.N, last.N, first.N, ct.N, mv.N, rs.N numbered from 0, then "now" and "last.newest" (only
//   when complete); no more entries than limit=, each seen at least mincount= times, its address
//   readable by the request parser and its times in ntpd's 0x%08x.%08x form; and the text fits in
//   the frags= datagrams the client allows (128 when only limit= is given).
// - The whole request: the answer passes ControlAnswerChecks and needs no more datagrams than that.
using System.Buffers.Binary;
using System.Text;
using Stratum.Core.Mode6;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Control;

namespace Stratum.Fuzz.Targets;

internal static class MruListTarget
{
    private const string FixedNonce = "0123456789abcdef01234567";

    private static readonly string[] s_entryFields = ["addr.", "last.", "first.", "ct.", "mv.", "rs."];
    private static readonly long[] s_waits = [0, 1, 100, 4000];

    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInputReader(input);
        byte options = reader.ReadByte();
        ClientAddress client = EngineFixture.Clients[options & 1];
        ReadOnlySpan<byte> text = reader.ReadRest();
        string prefix = "nonce=" + new string('0', ControlNonce.TextLength) + ", ";
        text = text[..Math.Min(text.Length, ControlMessage.MaxDataLength - prefix.Length)];

        var request = new MruRequest();
        MruRequestError error = request.Parse(text);
        CheckParse(request, error, text);

        EngineFixture fixture = EngineFixture.Create();
        fixture.Advance(s_waits[(options >> 1) & 3] * LoopTime.NanosecondsPerSecond);
        if (error == MruRequestError.None)
        {
            CheckWrite(fixture, request);
        }

        CheckWholeRequest(fixture, client, text);
    }

    private static void CheckParse(MruRequest request, MruRequestError error, ReadOnlySpan<byte> text)
    {
        FuzzInvariantException.Check(error is MruRequestError.None or MruRequestError.MissingNonce or MruRequestError.Malformed, $"Parse returned {error}");
        if (error == MruRequestError.None)
        {
            FuzzInvariantException.Check(request.Nonce.Length <= ControlNonce.TextLength, $"nonce of {request.Nonce.Length} octets");
            FuzzInvariantException.Check(request.PriorCount is >= 0 and <= MruRequest.MaxPriors, $"{request.PriorCount} continuation pairs");
            FuzzInvariantException.Check(request.Frags >= 0 && request.MinCount >= 0, "negative frags or mincount");
        }

        // A reused instance (the responder keeps one) must forget the previous request entirely.
        var reused = new MruRequest();
        reused.Parse("nonce=abc, frags=3, limit=9, mincount=4, resall=0x1, resany=0x2, maxlstint=5, laddr=192.0.2.1, last.0=0x00000001.00000002, addr.0=192.0.2.9:5"u8);
        MruRequestError again = reused.Parse(text);
        FuzzInvariantException.Check(again == error && Describe(reused) == Describe(request), "a reused MruRequest parses the same text differently");
    }

    private static string Describe(MruRequest request)
    {
        var text = new StringBuilder();
        text.Append(Encoding.ASCII.GetString(request.Nonce)).Append('|').Append(request.Frags).Append('|').Append(request.Limit).Append('|')
            .Append(request.MinCount).Append('|').Append(request.ResAll).Append('|').Append(request.ResAny).Append('|')
            .Append(request.MaxLastInterval).Append('|').Append(request.LocalAddress?.ToString()).Append('|').Append(request.PriorCount);
        for (int i = 0; i < request.PriorCount; i++)
        {
            text.Append('|').Append(request.PriorAddress(i).ToString()).Append('@').Append(request.PriorLast(i).ToHexString());
        }

        return text.ToString();
    }

    private static void CheckWrite(EngineFixture fixture, MruRequest request)
    {
        var writer = new ControlVariableWriter();
        MruList list = fixture.Engine.Server.Access!.Mru;
        MruAnswer answer = MruListWriter.Write(list, request, FixedNonce, fixture.Now, writer);
        bool badValue = (request.Frags == 0 && request.Limit is 0 or > MruListWriter.RowLimit) || request.Frags > MruListWriter.FragmentLimit;
        FuzzInvariantException.Check((answer == MruAnswer.BadValue) == badValue, $"Write answered {answer} to frags={request.Frags} limit={request.Limit}");
        if (answer != MruAnswer.Written)
        {
            FuzzInvariantException.Check(answer != MruAnswer.UnknownStart || request.PriorCount > 0, "UnknownStart without a continuation");
            return;
        }

        int frags = request.Frags != 0 ? request.Frags : MruListWriter.FragmentLimit;
        byte[] text = writer.ToBytes();
        FuzzInvariantException.Check(text.Length <= frags * ControlMessage.MaxDataLength,
            $"mrulist answer of {text.Length} octets does not fit in {frags} datagrams");
        CheckAnswerText(text, request);
    }

    /// <summary>The answer's variables in the order the file header gives.</summary>
    private static void CheckAnswerText(ReadOnlySpan<byte> text, MruRequest request)
    {
        var reader = new ControlVariableReader(text);
        int position = 0;
        int entries = 0;
        bool sawNow = false;
        bool sawNewest = false;
        while (reader.TryReadNext(out ControlVariable variable))
        {
            string name = Encoding.ASCII.GetString(variable.Name);
            ReadOnlySpan<byte> value = variable.Value;
            if (position == 0 && request.PriorCount > 0)
            {
                FuzzInvariantException.Check(name == "last.older" && IsTimestamp(value), $"continuation answer starts with {name}");
            }
            else if (position == 1 && request.PriorCount > 0)
            {
                FuzzInvariantException.Check(name == "addr.older" && MruRequest.TryParseAddress(value, out _), $"second variable {name}");
            }
            else if (position == (request.PriorCount > 0 ? 2 : 0))
            {
                FuzzInvariantException.Check(name == "nonce" && value.SequenceEqual(Encoding.ASCII.GetBytes(FixedNonce)), $"expected the nonce, got {name}");
            }
            else if (name == "now")
            {
                FuzzInvariantException.Check(!sawNow && IsTimestamp(value), "a second now= or a malformed one");
                sawNow = true;
            }
            else if (name == "last.newest")
            {
                FuzzInvariantException.Check(sawNow && !sawNewest && entries > 0 && IsTimestamp(value), "last.newest out of place");
                sawNewest = true;
            }
            else
            {
                FuzzInvariantException.Check(!sawNow, $"{name} after now=");
                CheckEntryField(name, value, entries, request);
                if (name.StartsWith("rs.", StringComparison.Ordinal))
                {
                    entries++;
                }
            }

            position++;
        }

        FuzzInvariantException.Check(position > (request.PriorCount > 0 ? 2 : 0), "answer without a nonce");
        FuzzInvariantException.Check(sawNewest == (sawNow && entries > 0), "last.newest missing from a complete answer");
        FuzzInvariantException.Check(request.Limit == 0 || entries <= request.Limit, $"{entries} entries for limit={request.Limit}");
    }

    private static void CheckEntryField(string name, ReadOnlySpan<byte> value, int entry, MruRequest request)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        string field = dot < 0 ? name : name[..(dot + 1)];
        int expectedField = Array.IndexOf(s_entryFields, field);
        FuzzInvariantException.Check(expectedField >= 0 && name[(dot + 1)..] == entry.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"unexpected variable {name} in entry {entry}");
        switch (field)
        {
            case "addr.":
                FuzzInvariantException.Check(MruRequest.TryParseAddress(value, out _), $"{name} does not read back as an address");
                break;
            case "last." or "first.":
                FuzzInvariantException.Check(IsTimestamp(value), $"{name} is not 0x%08x.%08x");
                break;
            case "ct.":
                FuzzInvariantException.Check(long.TryParse(Encoding.ASCII.GetString(value), out long count) && count >= request.MinCount,
                    $"{name}={Encoding.ASCII.GetString(value)} below mincount={request.MinCount}");
                break;
        }
    }

    private static bool IsTimestamp(ReadOnlySpan<byte> value)
    {
        if (value.Length != 19 || value[0] != (byte)'0' || value[1] != (byte)'x' || value[10] != (byte)'.')
        {
            return false;
        }

        foreach (byte digit in value[2..])
        {
            if (digit != (byte)'.' && !char.IsAsciiHexDigitLower((char)digit))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>READ_MRU through the engine: a fresh nonce, then the input's variables.</summary>
    private static void CheckWholeRequest(EngineFixture fixture, in ClientAddress client, ReadOnlySpan<byte> text)
    {
        var ask = new byte[ControlMessage.HeaderSize];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.RequestNonce, 1, 0, 0), [], ask);
        fixture.SendToServer(client, ask, []);
        List<byte[]> issued = fixture.Answers();
        FuzzInvariantException.Check(issued.Count == 1 && ControlMessage.TryRead(issued[0], out _, out ReadOnlySpan<byte> nonceText, out _, out _)
            && nonceText.StartsWith("nonce="u8), "REQ_NONCE not answered");
        ControlMessage.TryRead(issued[0], out _, out ReadOnlySpan<byte> nonce, out _, out _);

        byte[] data = [.. nonce, .. ", "u8, .. text];
        var request = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(data.Length)];
        FuzzInvariantException.Check(ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadMru, 2, 0, (ushort)data.Length), data, request) > 0,
            "READ_MRU request does not fit one datagram");
        fixture.SendToServer(client, request, []);
        List<byte[]> answers = fixture.Answers();
        ControlAnswerChecks.Check(request, answers, null);

        var parsed = new MruRequest();
        if (answers.Count > 0 && ControlAnswerChecks.ErrorOf(answers) is null && parsed.Parse(data) == MruRequestError.None)
        {
            int frags = parsed.Frags != 0 ? parsed.Frags : MruListWriter.FragmentLimit;
            FuzzInvariantException.Check(answers.Count <= frags, $"mrulist answer in {answers.Count} datagrams for frags={parsed.Frags}");
            FuzzInvariantException.Check(BinaryPrimitives.ReadUInt16BigEndian(answers[0].AsSpan(4)) == 0, "mrulist answer with a status word");
        }
    }
}

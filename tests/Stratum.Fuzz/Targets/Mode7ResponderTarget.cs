// Mode7ResponderTarget ("mode7-responder"): ntpdc requests (mode 7) through NtpEngine.OnDatagram to the
// query gate and Mode7Responder of a warmed-up EngineFixture.
// Input: one option octet, then the request (its mode bits are forced to 7).
//   option bits 0-2: which fixture client sends it (see EngineFixture.Clients)
//   option bit 3:    `enable mode7` is off
// Invariants beyond "no exception": with mode 7 off nothing is answered; a response is never
// answered; an answer is one datagram, never longer than the request (Mode7Responder's
// amplification rule), that reads back as a response to the request (version, implementation,
// request code; no More bit); an error answer is a bare header; a data answer is one of the eight
// read-only requests, with at least one item of that request's size, each of which parses.
using Stratum.Core.Mode7;
using Stratum.Engine;
using Stratum.Engine.Access;

namespace Stratum.Fuzz.Targets;

internal static class Mode7ResponderTarget
{
    private delegate bool ItemReader(ReadOnlySpan<byte> item);

    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInputReader(input);
        byte options = reader.ReadByte();
        ClientAddress client = EngineFixture.Clients[options & 7];
        ReadOnlySpan<byte> rest = reader.ReadRest();
        byte[] request = rest[..Math.Min(rest.Length, ControlResponderTarget.MaxRequestLength)].ToArray();
        if (request.Length > 0)
        {
            request[0] = (byte)((request[0] & 0xF8) | 7);
        }

        EngineFixture fixture = EngineFixture.Create();
        fixture.Engine.Control.Host.Mode7Enabled = (options & 8) == 0;
        DatagramResult result = fixture.SendToServer(client, request, []);
        List<byte[]> answers = fixture.Answers();
        FuzzInvariantException.Check(result.Disposition is DatagramDisposition.Answered or DatagramDisposition.Dropped,
            $"a mode 7 request ended as {result.Disposition}");
        FuzzInvariantException.Check(answers.Count <= 1, $"mode 7 answer of {answers.Count} datagrams");
        if (answers.Count == 0)
        {
            return;
        }

        FuzzInvariantException.Check(fixture.Engine.Control.Host.Mode7Enabled, "answered with mode 7 off");
        CheckAnswer(request, answers[0]);
    }

    private static void CheckAnswer(ReadOnlySpan<byte> request, ReadOnlySpan<byte> answer)
    {
        FuzzInvariantException.Check(answer.Length <= request.Length, $"answer of {answer.Length} octets to a request of {request.Length}");
        FuzzInvariantException.Check(Mode7Message.TryRead(request, out Mode7Header asked, out _, out _) && !asked.IsResponse,
            "answered a request that is not a readable mode 7 request");
        FuzzInvariantException.Check(Mode7Message.TryRead(answer, out Mode7Header header, out ReadOnlySpan<byte> data, out Mode7MessageError error),
            $"answer does not parse: {error}");
        FuzzInvariantException.Check(header.IsResponse && !header.HasMore && header.Version == asked.Version
            && header.Implementation == asked.Implementation && header.Request == asked.Request, $"answer {header} does not answer {asked}");
        if (header.Error != Mode7ErrorCode.None)
        {
            FuzzInvariantException.Check(header.ItemCount == 0 && header.ItemSize == 0 && answer.Length == Mode7Message.HeaderSize,
                "an error answer with items");
            return;
        }

        (int size, ItemReader? read) = header.Request switch
        {
            Mode7RequestCode.PeerList => (PeerListItem.Size, (ItemReader)(static item => PeerListItem.TryRead(item, out _))),
            Mode7RequestCode.PeerListSummary => (PeerSummaryItem.Size, static item => PeerSummaryItem.TryRead(item, out _)),
            Mode7RequestCode.PeerInfo => (PeerInfoItem.Size, static item => PeerInfoItem.TryRead(item, out _)),
            Mode7RequestCode.SystemInfo => (SystemInfoItem.Size, static item => SystemInfoItem.TryRead(item, out _)),
            Mode7RequestCode.SystemStats => (SystemStatsItem.Size, static item => SystemStatsItem.TryRead(item, out _)),
            Mode7RequestCode.IoStats => (IoStatsItem.Size, static item => IoStatsItem.TryRead(item, out _)),
            Mode7RequestCode.LoopInfo => (LoopInfoItem.Size, static item => LoopInfoItem.TryRead(item, out _)),
            Mode7RequestCode.GetKernel => (KernelInfoItem.Size, static item => KernelInfoItem.TryRead(item, out _)),
            _ => (0, null),
        };
        FuzzInvariantException.Check(read is not null, $"data answered to request code {header.Request}");
        FuzzInvariantException.Check(header.ItemCount >= 1 && header.ItemSize == size, $"{header.ItemCount} items of {header.ItemSize} octets for {header.Request}");
        for (int i = 0; i < header.ItemCount; i++)
        {
            FuzzInvariantException.Check(read!(data.Slice(i * size, size)), $"{header.Request} item {i} does not parse");
        }
    }
}

// ControlAnswerChecks: what every mode 6 answer must look like, whatever the request (RFC 1305
// appendix B; ntpd 4.2.8 ctl_flushpkt; ControlResponder's header). Each fragment reads back as a
// response to the request: same version, opcode, sequence and association id. Fragments carry at
// most 468 data octets, their offsets follow one another from 0 with the More bit on all but the
// last, and the whole answer stays within the 16-bit offset space and within MruListWriter's
// 128-datagram limit (ntpd's MRU_FRAGS_LIMIT, the largest answer any request may draw). An error
// answer is one bare header. A fragment is exactly header + data + padding, plus, when the
// request was authenticated, a MAC by the request's key that verifies. Text answers carry only
// printable ASCII and the separators ntpq expects (CR, LF, tab), so nothing a client prints can
// hold a terminal escape.
using System.Buffers;
using System.Buffers.Binary;
using Stratum.Core.Auth;
using Stratum.Core.Mode6;
using Stratum.Engine.Control;

namespace Stratum.Fuzz.Targets;

internal static class ControlAnswerChecks
{
    /// <summary>What answer text may hold: printable ASCII, CR, LF and tab.</summary>
    private static readonly SearchValues<byte> s_printable =
        SearchValues.Create([.. Enumerable.Range(0x20, 0x7F - 0x20).Select(octet => (byte)octet), (byte)'\r', (byte)'\n', (byte)'\t']);

    /// <summary>Most datagrams in any answer.</summary>
    public const int MaxFragments = MruListWriter.FragmentLimit;

    /// <summary>Checks <paramref name="answers"/> to <paramref name="request"/>; returns the reassembled data.</summary>
    /// <param name="signedBy">The key the answer must be signed with, or null for an unsigned answer.</param>
    public static byte[] Check(ReadOnlySpan<byte> request, IReadOnlyList<byte[]> answers, SymmetricKey? signedBy)
    {
        FuzzInvariantException.Check(answers.Count <= MaxFragments, $"mode 6 answer of {answers.Count} datagrams");
        if (answers.Count == 0)
        {
            return [];
        }

        FuzzInvariantException.Check(request.Length >= ControlMessage.HeaderSize, "an answer to a request shorter than a mode 6 header");
        byte version = (byte)((request[0] >> 3) & 7);
        var opcode = (ControlOpcode)(request[1] & 0x1F);
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(request[2..]);
        ushort associationId = BinaryPrimitives.ReadUInt16BigEndian(request[6..]);
        using var data = new MemoryStream();
        for (int i = 0; i < answers.Count; i++)
        {
            byte[] fragment = answers[i];
            FuzzInvariantException.Check(ControlMessage.TryRead(fragment, out ControlHeader header, out ReadOnlySpan<byte> body, out _, out ControlMessageError error),
                $"answer fragment {i} does not parse: {error}");
            FuzzInvariantException.Check(header.IsResponse && header.Version == version && header.Opcode == opcode && header.Sequence == sequence
                && header.AssociationId == associationId, $"answer fragment {i} does not answer the request: {header}");
            FuzzInvariantException.Check(header.Offset == data.Length, $"fragment {i} at offset {header.Offset}, expected {data.Length}");
            FuzzInvariantException.Check(header.HasMore == (i < answers.Count - 1), $"fragment {i} of {answers.Count} with More={header.HasMore}");
            FuzzInvariantException.Check(!header.IsError || (answers.Count == 1 && header.Count == 0), "an error answer with data or more fragments");
            CheckLength(fragment, header.Count, signedBy);
            data.Write(body);
        }

        FuzzInvariantException.Check(data.Length <= ushort.MaxValue, $"answer of {data.Length} octets overflows the 16-bit offset");
        byte[] text = data.ToArray();
        if (opcode != ControlOpcode.ReadStatus)
        {
            CheckPrintable(text);
        }

        return text;
    }

    /// <summary>The error code of a one-fragment error answer, or null.</summary>
    public static ControlErrorCode? ErrorOf(IReadOnlyList<byte[]> answers) =>
        answers.Count == 1 && ControlMessage.TryRead(answers[0], out ControlHeader header, out _, out _, out _) && header.IsError
            ? header.ErrorCode
            : null;

    private static void CheckLength(byte[] fragment, int count, SymmetricKey? signedBy)
    {
        if (signedBy is null)
        {
            FuzzInvariantException.Check(fragment.Length == ControlMessage.HeaderSize + ControlMessage.PaddedLength(count),
                $"unsigned fragment of {fragment.Length} octets for {count} data octets");
            return;
        }

        FuzzInvariantException.Check(fragment.Length == ControlMac.SignedLength(count, signedBy),
            $"signed fragment of {fragment.Length} octets for {count} data octets and {signedBy}");
        FuzzInvariantException.Check(ControlMac.Verify(signedBy, fragment, count), $"fragment MAC does not verify with {signedBy}");
    }

    private static void CheckPrintable(ReadOnlySpan<byte> text)
    {
        int unprintable = text.IndexOfAnyExcept(s_printable);
        FuzzInvariantException.Check(unprintable < 0, $"answer text holds octet 0x{(unprintable < 0 ? 0 : text[unprintable]):x2}");
    }
}

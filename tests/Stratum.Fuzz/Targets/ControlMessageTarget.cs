// ControlMessageTarget: mode 6 (ControlMessage.TryRead) and the variable-list reader
// (ControlVariableReader) over any datagram. Beyond "no exception": a failure names a reason; a
// parsed message's header and data re-encode to the same octets and its padding and trailer add
// up; the variable reader always advances, and every name and value is a slice of its input.
using Stratum.Core.Mode6;

namespace Stratum.Fuzz.Targets;

internal static class ControlMessageTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (ControlMessage.TryRead(input, out ControlHeader header, out ReadOnlySpan<byte> data, out int trailerLength, out ControlMessageError error))
        {
            FuzzInvariantException.Check(error == ControlMessageError.None, $"TryRead succeeded with error {error}");
            CheckMessage(input, header, data, trailerLength);
            CheckVariables(data);
        }
        else
        {
            FuzzInvariantException.Check(error != ControlMessageError.None, "TryRead failed without a reason");
        }

        // The reader also runs on whole datagrams: ntpq hands it reassembled data of any shape.
        CheckVariables(input);
    }

    private static void CheckMessage(ReadOnlySpan<byte> input, ControlHeader header, ReadOnlySpan<byte> data, int trailerLength)
    {
        int count = header.Count;
        FuzzInvariantException.Check(data.Length == count && count <= ControlMessage.MaxDataLength, "data length is not the count field");
        int padded = ControlMessage.HeaderSize + ControlMessage.PaddedLength(count);
        FuzzInvariantException.Check(trailerLength == Math.Max(0, input.Length - padded), $"trailer of {trailerLength} octets after {padded} of {input.Length}");

        Span<byte> encoded = stackalloc byte[ControlMessage.HeaderSize + ControlMessage.MaxDataLength + 3];
        int written = ControlMessage.Write(header, data, encoded);
        FuzzInvariantException.Check(written == padded, $"Write returned {written}, not {padded}");
        int compared = ControlMessage.HeaderSize + count;
        FuzzInvariantException.Check(encoded[..compared].SequenceEqual(input[..compared]), "header and data do not re-encode to the same octets");
    }

    private static void CheckVariables(ReadOnlySpan<byte> data)
    {
        var reader = new ControlVariableReader(data);
        int items = 0;
        while (reader.TryReadNext(out ControlVariable variable))
        {
            FuzzInvariantException.Check(++items <= data.Length, "ControlVariableReader returns more items than octets");
            FuzzInvariantException.Check(IsSliceOf(data, variable.Name) && IsSliceOf(data, variable.Value), "variable name or value is not a slice of the data");
            FuzzInvariantException.Check(!variable.IsQuoted || variable.UnquotedValue.Length == variable.Value.Length - 2, "unquoted value length");
        }
    }

    private static bool IsSliceOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> part) =>
        part.IsEmpty || (data.Overlaps(part, out int offset) && offset >= 0 && offset + part.Length <= data.Length);
}

// The decoded content of one PacketCapture: tshark's field rows plus, for assertion messages, the
// capturing tshark's own output and the raw field and -V text.
namespace Stratum.Interop.Tests.Harness;

public sealed record CaptureDecode(IReadOnlyList<TsharkNtpRow> Rows, string FieldText, string VerboseText,
    string CaptureLog)
{
    public string Describe(int maxVerbose = 3000) =>
        $"--- capture ---\n{CaptureLog}\n--- tshark fields ({string.Join(' ', TsharkNtpRow.Fields)}) ---\n{FieldText}" +
        $"--- tshark -V ---\n{(VerboseText.Length <= maxVerbose ? VerboseText : VerboseText[..maxVerbose] + "\n...")}";
}

// FuzzTargets: the table of fuzz targets by name, shared by the AFL harness (Program) and the
// corpus replay unit test, so a crash AFL finds replays through exactly the code it hit. Each
// target takes raw bytes, must never throw for any input, and throws FuzzInvariantException when
// a cheap property of the parse does not hold (a crash for AFL, a failure for the unit test).
namespace Stratum.Fuzz;

/// <summary>Runs one input through a parser and checks what it returned.</summary>
internal delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>The targets by the name used on the command line and as the corpus folder name.</summary>
internal static class FuzzTargets
{
    /// <summary>Inputs are cut to this size: the parsers' interesting cases are small, and AFL's own limit is 1 MB.</summary>
    public const int MaxInputLength = 16 * 1024;

    private static readonly (string Name, FuzzTarget Target)[] s_targets =
    [
        ("packet", Targets.PacketTarget.Run),
        ("mode6", Targets.ControlMessageTarget.Run),
        ("config", Targets.ConfigTarget.Run),
        ("keys", Targets.KeyFileTarget.Run),
        ("leap", Targets.LeapSecondsTarget.Run),
        ("mode7", Targets.Mode7Target.Run),
        ("mode6-responder", Targets.ControlResponderTarget.Run),
        ("mrulist", Targets.MruListTarget.Run),
        ("mode7-responder", Targets.Mode7ResponderTarget.Run),
        ("server", Targets.ServerResponderTarget.Run),
        ("reply", Targets.AssociationReplyTarget.Run),
        ("nmea", Targets.NmeaTarget.Run),
        ("broadcast", Targets.BroadcastTarget.Run),
        ("nts", Targets.NtsTarget.Run),
    ];

    public static IEnumerable<string> Names
    {
        get
        {
            foreach ((string name, _) in s_targets)
            {
                yield return name;
            }
        }
    }

    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FuzzTarget? target)
    {
        foreach ((string candidate, FuzzTarget found) in s_targets)
        {
            if (candidate == name)
            {
                target = found;
                return true;
            }
        }

        target = null;
        return false;
    }

    /// <summary>Reads at most <see cref="MaxInputLength"/> bytes of AFL's input.</summary>
    public static byte[] ReadInput(Stream stream)
    {
        var buffer = new byte[MaxInputLength];
        int length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }

    public static ReadOnlySpan<byte> Truncate(byte[] input) => input.AsSpan(0, Math.Min(input.Length, MaxInputLength));
}

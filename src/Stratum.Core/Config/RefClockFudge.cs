// RefClockFudge: the values of every "fudge 127.127.T.U ..." line for one clock, merged in file
// order (later lines override what they name). ntpd lets fudge come before or after the clock's
// server line, so the values are kept apart until the whole config is read.
namespace Stratum.Core.Config;

/// <summary>Accumulated fudge values for one reference clock.</summary>
internal sealed class RefClockFudge
{
    public RefClockFudge(byte driverType, byte unit, SourcePosition firstPosition)
    {
        DriverType = driverType;
        Unit = unit;
        FirstPosition = firstPosition;
    }

    public byte DriverType { get; }

    public byte Unit { get; }

    /// <summary>The address word of the first fudge line for this clock.</summary>
    public SourcePosition FirstPosition { get; }

    public byte? Stratum { get; set; }

    public double? Time1 { get; set; }

    public double? Time2 { get; set; }

    public string? RefId { get; set; }

    public bool? Flag1 { get; set; }

    public bool? Flag2 { get; set; }

    public bool? Flag3 { get; set; }

    public bool? Flag4 { get; set; }

    public RefClockConfig ApplyTo(RefClockConfig clock) => clock with
    {
        Stratum = Stratum ?? clock.Stratum,
        Time1 = Time1 ?? clock.Time1,
        Time2 = Time2 ?? clock.Time2,
        RefId = RefId ?? clock.RefId,
        Flag1 = Flag1 ?? clock.Flag1,
        Flag2 = Flag2 ?? clock.Flag2,
        Flag3 = Flag3 ?? clock.Flag3,
        Flag4 = Flag4 ?? clock.Flag4,
    };
}

// PendingSlewReader: hands a clock driver's pending slew to the Engine (IPendingSlewSource) without
// reading it in advance: on the Linux clock the read is a clock_adjtime call, which only a processed
// sample needs, never a time request. One instance per driver, made once, so the datagram path does
// not allocate.
using Stratum.Engine;

namespace Stratum.Platform.Clock;

/// <summary>Reads <see cref="IClockDriver.PendingSlewSeconds"/> when the Engine asks.</summary>
public sealed class PendingSlewReader(IClockDriver clock) : IPendingSlewSource
{
    public double PendingSlewSeconds => clock.PendingSlewSeconds;
}

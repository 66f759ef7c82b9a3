// IClockVariables: an association that answers READCLOCK (ntpq `clockvar`/`cv`) with ntpd's clock
// variables (device, timecode, poll, noreply, badformat, baddata, fudgetime1, fudgetime2, stratum,
// refid, flags): the local clock driver and the SHM reference clock.
using Stratum.Core.Mode6;

namespace Stratum.Engine.Control;

internal interface IClockVariables
{
    /// <summary>ntpd's clock variable list for a refclock, in its order.</summary>
    public static readonly string[] Names =
        ["device", "timecode", "poll", "noreply", "badformat", "baddata", "fudgetime1", "fudgetime2", "stratum", "refid", "flags"];

    /// <summary>Appends one clock variable; false when the name is not one.</summary>
    bool TryWriteClockVariable(string name, ControlVariableWriter writer);
}

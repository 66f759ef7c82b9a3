// FilegenType: how a statistics file set is split into files (ntpd 4.2.8 monopt.html
// "filegen name [type type]").
namespace Stratum.Core.Config;

/// <summary>The file generation scheme of a filegen.</summary>
public enum FilegenType
{
    /// <summary><c>none</c>: one file, never split.</summary>
    None,

    /// <summary><c>pid</c>: one file per daemon process.</summary>
    Pid,

    /// <summary><c>day</c>: one file per day, suffix .YYYYMMDD (ntpd's default).</summary>
    Day,

    /// <summary><c>week</c>: one file per week, suffix .YYYYWww.</summary>
    Week,

    /// <summary><c>month</c>: one file per month, suffix .YYYYMM.</summary>
    Month,

    /// <summary><c>year</c>: one file per year, suffix .YYYY.</summary>
    Year,

    /// <summary><c>age</c>: a new file every 24 hours of daemon run time.</summary>
    Age,
}

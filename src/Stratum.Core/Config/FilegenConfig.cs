// FilegenConfig: the merged "filegen NAME ..." lines for one statistics file set (ntpd 4.2.8
// monopt.html). Later lines override what they name. As in ntpd, a filegen line enables its
// set unless it says "disable"; defaults are file NAME, type day, link.
namespace Stratum.Core.Config;

/// <summary>File generation settings of one statistics set.</summary>
/// <param name="Kind">Which statistics.</param>
/// <param name="FileName"><c>file</c>: the file name prefix inside statsdir (default: the set's name).</param>
/// <param name="Type"><c>type</c>: how files are split (default day).</param>
/// <param name="Link"><c>link</c>/<c>nolink</c>: keep a link named like the prefix to the current file.</param>
/// <param name="Enabled"><c>enable</c>/<c>disable</c>.</param>
/// <param name="Line">Line of the last filegen directive for this set.</param>
public sealed record FilegenConfig(
    StatisticsKind Kind,
    string FileName,
    FilegenType Type,
    bool Link,
    bool Enabled,
    int Line);

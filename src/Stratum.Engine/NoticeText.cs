// NoticeText: the wording of the Engine's classic log lines, in one place, because users and monitoring
// grep for them (ARCHITECTURE.md §8). Each follows ntpd 4.2.8's format string: "synchronized to %s,
// stratum %d" (the system peer's name and its own stratum), "time reset %+.6f s" (a step, sign always
// shown), "frequency error %.0f PPM exceeds tolerance %.0f PPM" (the signed frequency correction the loop
// wanted) and "no servers reachable"; "no selectable source (…)" is ours (ntpd reports only the no_sys_peer
// event). Pure formatting, invariant culture; no decisions here.
using System.Globalization;

namespace Stratum.Engine;

/// <summary>ntpd's wording of the Engine's notices.</summary>
internal static class NoticeText
{
    /// <summary>Every association became unreachable while one was the system peer.</summary>
    public const string NoServersReachable = "no servers reachable";

    /// <summary>Selection found no survivor while a system peer was set: "no selectable source (SOURCE is
    /// REASON)", the former system peer and why it failed.</summary>
    public static string NoSelectableSource(string formerPeer, string reason) =>
        string.Create(CultureInfo.InvariantCulture, $"no selectable source ({formerPeer} {reason})");

    /// <summary>"synchronized to SOURCE, stratum N": <paramref name="stratum"/> is the source's own stratum.</summary>
    public static string Synchronized(string source, int stratum) =>
        string.Create(CultureInfo.InvariantCulture, $"synchronized to {source}, stratum {stratum}");

    /// <summary>"time reset +0.315000 s": C's "%+.6f" (the sign from the sign bit, so −0 prints "-0.000000").</summary>
    public static string TimeReset(double stepSeconds) =>
        "time reset " + (double.IsNegative(stepSeconds) ? "-" : "+")
        + Math.Abs(stepSeconds).ToString("0.000000", CultureInfo.InvariantCulture) + " s";

    /// <summary>"frequency error -600 PPM exceeds tolerance 500 PPM": the frequency correction the loop wanted
    /// (s/s, signed as ntpd prints it) and the ±tolerance it was clamped to (s/s), both in whole PPM.</summary>
    public static string FrequencyError(double wantedFrequency, double tolerance) =>
        string.Create(CultureInfo.InvariantCulture, $"frequency error {wantedFrequency * 1e6:0} PPM exceeds tolerance {tolerance * 1e6:0} PPM");
}

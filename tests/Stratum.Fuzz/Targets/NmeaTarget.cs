// NmeaTarget ("nmea"): NmeaSentence.TryParse over any line, the first octet choosing the sentences a
// `mode` accepts (its low four bits). Beyond "no exception": an accepted sentence is one the mode
// selects; its time of day lies in [0, 86401) (a leap second included); a date, when there is one, is
// a real one from 1980 on; and its Unix time, near any local time, is finite and within half a day of
// that local time when the sentence has no date.
using Stratum.Core.Refclock;

namespace Stratum.Fuzz.Targets;

internal static class NmeaTarget
{
    /// <summary>2026-12-07 12:00:00 UTC, the local clock the date of a GGA sentence is taken from.</summary>
    private const double LocalUnixSeconds = 1_796_644_800;

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var accepted = (NmeaSentenceKind)(input[0] & 0xF);
        if (!NmeaSentence.TryParse(input[1..], accepted, out NmeaTime time))
        {
            return;
        }

        FuzzInvariantException.Check(time.Kind is NmeaSentenceKind.Rmc or NmeaSentenceKind.Gga or NmeaSentenceKind.Zda, $"kind {time.Kind}");
        FuzzInvariantException.Check(accepted == NmeaSentenceKind.None || (accepted & time.Kind) != 0, $"{time.Kind} accepted by mode {(int)accepted}");
        FuzzInvariantException.Check(time.SecondOfDay is >= 0 and < 86401, $"second of day {time.SecondOfDay}");
        if (time.HasDate)
        {
            FuzzInvariantException.Check(time.Year >= 1980 && time.Month is >= 1 and <= 12 && time.Day >= 1 && time.Day <= DateTime.DaysInMonth(time.Year, time.Month),
                $"date {time.Year}-{time.Month}-{time.Day}");
        }

        double unix = time.ToUnixSeconds(LocalUnixSeconds);
        FuzzInvariantException.Check(double.IsFinite(unix), "Unix time not finite");
        FuzzInvariantException.Check(time.HasDate || Math.Abs(unix - LocalUnixSeconds) <= 43201, $"a dateless time {unix - LocalUnixSeconds} s from the local clock");
    }
}

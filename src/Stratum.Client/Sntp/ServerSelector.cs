// ServerSelector: ntpdate 4.2.8's choice of one server among several, a reduced RFC 5905 §11 system
// process. In order:
//  1. sanity: drop servers with no data, stratum above 15, delay above 8 s, leap indicator 3, a
//     transmit time before their reference time, or a reference time a day or more old;
//  2. rank by stratum, then by twice the filter dispersion; keep the best five and cut the list
//     where a third stratum would begin;
//  3. with more than one left, order each stratum by delay, then repeatedly drop the server whose
//     offset disagrees most with the others (distances weighted by 3/4 per list position), until the
//     worst disagreement falls under ntpdate's threshold (2^-6 s + 0.01 s + 2^(lowest precision));
//  4. the first server left wins: lowest stratum, then lowest delay among those that agree.
// Arithmetic is in double seconds; ntpdate's 16.16 integers give the same order except at ties
// finer than 15 microseconds.
using Stratum.Core.Wire;

namespace Stratum.Client.Sntp;

/// <summary>Chooses the server whose offset ntpdate applies.</summary>
public static class ServerSelector
{
    /// <summary>Highest stratum accepted (ntpdate NTP_INFIN).</summary>
    public const int MaxStratum = 15;

    /// <summary>Largest budgeted delay accepted, seconds (ntpdate NTP_MAXWGT).</summary>
    public const double MaxDelaySeconds = 8.0;

    /// <summary>Longest a server may go without synchronizing, seconds (ntpdate NTP_MAXAGE).</summary>
    public const long MaxReferenceAgeSeconds = 86_400;

    /// <summary>Most servers kept for the falseticker round (ntpdate NTP_MAXLIST).</summary>
    public const int MaxListSize = 5;

    /// <summary>
    /// Returns the index of the chosen server, or -1 when none is suitable; <paramref name="verdicts"/>
    /// (same length as <paramref name="candidates"/>) says why each server was kept or dropped.
    /// </summary>
    public static int Select(IReadOnlyList<SelectionCandidate> candidates, Span<SelectionVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (verdicts.Length < candidates.Count)
        {
            throw new ArgumentException("one verdict per candidate is needed", nameof(verdicts));
        }

        var list = new List<int>(candidates.Count);
        for (int i = 0; i < candidates.Count; i++)
        {
            verdicts[i] = Check(candidates[i]);
            if (verdicts[i] == SelectionVerdict.Candidate)
            {
                list.Add(i);
            }
        }

        // Rank by stratum, then by twice the dispersion; the sort is stable, so on a tie the server
        // named first on the command line stays ahead, as with ntpdate's insertion.
        list.Sort((a, b) =>
        {
            int byStratum = candidates[a].Stratum.CompareTo(candidates[b].Stratum);
            if (byStratum != 0)
            {
                return byStratum;
            }

            int byDispersion = candidates[a].Filter.Dispersion.CompareTo(candidates[b].Filter.Dispersion);
            return byDispersion != 0 ? byDispersion : a.CompareTo(b);
        });

        int keep = Math.Min(list.Count, MaxListSize);
        int strataSeen = 0;
        for (int i = 1; i < keep; i++)
        {
            if (candidates[list[i]].Stratum > candidates[list[i - 1]].Stratum && ++strataSeen == 2)
            {
                keep = i;
                break;
            }
        }

        for (int i = keep; i < list.Count; i++)
        {
            verdicts[list[i]] = SelectionVerdict.NotInBestList;
        }

        list.RemoveRange(keep, list.Count - keep);
        if (list.Count == 0)
        {
            return -1;
        }

        OrderByDelayWithinStratum(candidates, list);
        DropFalsetickers(candidates, list, verdicts);
        verdicts[list[0]] = SelectionVerdict.Chosen;
        return list[0];
    }

    private static SelectionVerdict Check(in SelectionCandidate candidate)
    {
        if (candidate.Stratum == 0 || !candidate.Filter.HasData)
        {
            return SelectionVerdict.NoData;
        }

        if (candidate.Stratum > MaxStratum)
        {
            return SelectionVerdict.StratumTooHigh;
        }

        if (candidate.Filter.Delay.TotalSeconds > MaxDelaySeconds)
        {
            return SelectionVerdict.TooFarAway;
        }

        if (candidate.Leap == LeapIndicator.Unsynchronized)
        {
            return SelectionVerdict.LeapNotInSync;
        }

        // ntpdate compares the timestamps as unsigned numbers: a zero reference time (a server that
        // was never synchronized, e.g. NTPsec in orphan mode) is not "very broken" but gone "too long
        // without sync". Otherwise the signed difference used here gives the same answer and stays
        // right across the 2036 era rollover.
        if (candidate.ReferenceTime.IsZero)
        {
            return SelectionVerdict.TooLongWithoutSync;
        }

        double referenceAge = (candidate.TransmitTime - candidate.ReferenceTime).TotalSeconds;
        if (referenceAge < 0)
        {
            return SelectionVerdict.VeryBroken;
        }

        return referenceAge >= MaxReferenceAgeSeconds ? SelectionVerdict.TooLongWithoutSync : SelectionVerdict.Candidate;
    }

    /// <summary>Within each stratum, moves the lowest-delay server forward (ntpdate's re-sort pass).</summary>
    private static void OrderByDelayWithinStratum(IReadOnlyList<SelectionCandidate> candidates, List<int> list)
    {
        for (int i = 0; i < list.Count - 1; i++)
        {
            for (int j = i + 1; j < list.Count; j++)
            {
                if (candidates[list[i]].Stratum < candidates[list[j]].Stratum)
                {
                    break;
                }

                if (candidates[list[i]].Filter.Delay < candidates[list[j]].Filter.Delay)
                {
                    continue;
                }

                (list[i], list[j]) = (list[j], list[i]);
            }
        }
    }

    /// <summary>Drops the server that disagrees most until the rest agree within the threshold.</summary>
    /// <remarks>RFC 5905 §11.2.2 cluster algorithm in ntpdate's simplified form (weights 3/4 per rank).</remarks>
    private static void DropFalsetickers(IReadOnlyList<SelectionCandidate> candidates, List<int> list, Span<SelectionVerdict> verdicts)
    {
        double fixedThreshold = Math.ScaleB(1.0, SampleFilter.NtpdatePrecision) + SampleFilter.SkewAllowance.TotalSeconds;
        Span<double> badness = stackalloc double[MaxListSize];
        while (list.Count > 1)
        {
            for (int k = 0; k < list.Count; k++)
            {
                double offsetK = SampleFilter.ShortFixedSeconds(candidates[list[k]].Filter.Offset);
                badness[k] = 0;
                for (int j = 0; j < list.Count; j++)
                {
                    if (j == k)
                    {
                        continue;
                    }

                    double distance = Math.Abs(SampleFilter.ShortFixedSeconds(candidates[list[j]].Filter.Offset) - offsetK);
                    badness[k] += distance * Math.Pow(0.75, j);
                }
            }

            int worst = 0;
            int lowestPrecision = candidates[list[0]].Precision;
            for (int j = 1; j < list.Count; j++)
            {
                if (badness[j] >= badness[worst])
                {
                    worst = j;
                }

                lowestPrecision = Math.Min(lowestPrecision, candidates[list[j]].Precision);
            }

            double threshold = fixedThreshold + SampleFilter.PrecisionInShortFixed((sbyte)lowestPrecision) / 65536.0;
            if (badness[worst] < threshold)
            {
                return;
            }

            verdicts[list[worst]] = SelectionVerdict.Falseticker;
            list.RemoveAt(worst);
        }
    }
}

// IntersectionAlgorithm: the Marzullo-style selection of RFC 5905 §11.2.1 (A.5.5.1 clock_select). Each
// candidate i contributes a correctness interval [θ_i − λ_i, θ_i + λ_i]; the algorithm looks for the smallest
// number of falsetickers f (f < n/2) such that at least n − f intervals share an interval [low, high].
// Candidates whose interval misses [low, high] are falsetickers; with no such f there is no majority.
// Deviation: RFC 5905's pseudocode also lists each midpoint θ_i and rejects an f when more than f midpoints
// lie outside [low, high]. ntpd 4.2.8, which we replace, dropped that rule: it refuses two agreeing servers
// whose intervals overlap but whose midpoints are not in the overlap (a property test found such cases).
// Limits: pure, no fitness test (ClockSelector does that); a `true` candidate is never a falseticker.
namespace Stratum.Engine.Selection;

/// <summary>RFC 5905 §11.2.1 intersection (selection) algorithm.</summary>
/// <remarks>A.5.5.1: s.m[] endpoints with type −1 (lower) and +1 (upper); allow, chime, low, high.</remarks>
public static class IntersectionAlgorithm
{
    /// <summary>Finds the intersection interval for the given (offset, root distance) pairs.</summary>
    public static IntersectionInterval Find(ReadOnlySpan<double> offsets, ReadOnlySpan<double> distances)
    {
        int n = offsets.Length;
        if (n != distances.Length)
        {
            throw new ArgumentException("one distance per offset", nameof(distances));
        }

        if (n == 0)
        {
            return new IntersectionInterval(false, 0, 0, 0);
        }

        var edges = new (double Value, int Type)[2 * n];
        for (int i = 0; i < n; i++)
        {
            edges[2 * i] = (offsets[i] - distances[i], -1);
            edges[(2 * i) + 1] = (offsets[i] + distances[i], +1);
        }

        // Sort by value; at equal values lower endpoints first, so touching intervals meet.
        Array.Sort(edges, static (a, b) => a.Value != b.Value ? a.Value.CompareTo(b.Value) : a.Type.CompareTo(b.Type));

        for (int allow = 0; 2 * allow < n; allow++)
        {
            // low: the first point inside n − allow intervals, scanning up; high: the same scanning down.
            int chime = 0;
            double low = double.PositiveInfinity;
            for (int i = 0; i < edges.Length; i++)
            {
                chime -= edges[i].Type;
                if (chime >= n - allow)
                {
                    low = edges[i].Value;
                    break;
                }
            }

            chime = 0;
            double high = double.NegativeInfinity;
            for (int i = edges.Length - 1; i >= 0; i--)
            {
                chime += edges[i].Type;
                if (chime >= n - allow)
                {
                    high = edges[i].Value;
                    break;
                }
            }

            if (high >= low)
            {
                return new IntersectionInterval(true, low, high, allow);
            }
        }

        return new IntersectionInterval(false, 0, 0, 0);
    }

    /// <summary>True when [offset − distance, offset + distance] meets the interval.</summary>
    /// <remarks>As ntpd 4.2.8: every candidate whose correctness interval overlaps [low, high] is a truechimer,
    /// so that one with a noisy midpoint just outside the (often narrow) intersection is not a falseticker.</remarks>
    public static bool IsTruechimer(in IntersectionInterval interval, double offset, double distance) =>
        interval.Found && offset + distance >= interval.Low && offset - distance <= interval.High;
}

// QueryBudget: the control-query rate limiter, a Generic Cell Rate Algorithm (the virtual
// scheduling form of ITU-T I.371, also known as a token bucket kept as one number): each
// accepted query pushes a "theoretical arrival time" one interval into the future; a query is
// refused while that time lies more than (burst − 1) intervals ahead of now. One long per client
// in its MRU entry and one for the whole server; no allocation, no timers.
namespace Stratum.Engine.Access;

/// <summary>Burst-then-steady rate test on a theoretical arrival time.</summary>
internal static class QueryBudget
{
    /// <summary>Takes one query from the budget kept in <paramref name="arrival"/>; false when exhausted.</summary>
    public static bool TryTake(ref long arrival, long nowMono, long intervalNanoseconds, int burst)
    {
        long tolerance = intervalNanoseconds * Math.Max(0, burst - 1);
        if (arrival - tolerance > nowMono)
        {
            return false;
        }

        arrival = Math.Max(arrival, nowMono) + intervalNanoseconds;
        return true;
    }
}

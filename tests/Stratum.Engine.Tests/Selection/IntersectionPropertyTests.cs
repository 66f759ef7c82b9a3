// IntersectionAlgorithm properties (CsCheck): a majority of agreeing intervals always wins, the few far away
// are always falsetickers, and the interval found lies inside every truechimer's correctness interval.
using CsCheck;
using Stratum.Engine.Selection;

namespace Stratum.Engine.Tests.Selection;

public class IntersectionPropertyTests
{
    [Fact]
    public void Intersection_MajorityAgreesMinorityFarAway_MinorityAreFalsetickers()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Int[0, 5], Gen.Double[0.0005, 0.01].Array[12], Gen.Double[-1, 1].Array[12])
            .Sample((good, badWanted, distances, unit) =>
            {
                int bad = Math.Min(badWanted, good - 1);
                int n = good + bad;
                var offsets = new double[n];
                var lambdas = new double[n];
                for (int i = 0; i < n; i++)
                {
                    lambdas[i] = distances[i];

                    // Good ones all contain 0 (|θ| < λ); bad ones sit 1 s away, each at its own place.
                    offsets[i] = i < good ? unit[i] * distances[i] * 0.99 : 1 + (i * 0.1);
                }

                IntersectionInterval interval = IntersectionAlgorithm.Find(offsets, lambdas);
                Assert.True(interval.Found);
                Assert.True(interval.Low <= 0 && interval.High >= 0, $"[{interval.Low}, {interval.High}]");
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(i < good, IntersectionAlgorithm.IsTruechimer(interval, offsets[i], lambdas[i]));
                }
            });
    }
}

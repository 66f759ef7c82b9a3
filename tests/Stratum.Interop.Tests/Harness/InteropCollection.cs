// All interop tests form one collection that runs its tests one at a time: they share the
// machine's UDP port 123 on 127.0.0.x, the loopback capture and 2 CPUs, and their timing checks
// (|offset| < 1 ms) need a quiet machine.
namespace Stratum.Interop.Tests.Harness;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InteropCollection : ICollectionFixture<AnchorServers>
{
    public const string Name = "Interop";
}

// RestrictionInputs: everything a restrict table is compiled from — the restrict lines (the
// configured ones, then those added at run time by ntpq :config), the addresses of the
// associations ("restrict source") and this host's listening addresses (the "ignore, ntpport"
// interface entries). Immutable: AccessControl makes a new one on every change, so the main loop
// can hand the current one to the --server-threads loops in its server snapshot, and each of them
// compiles its own table from it (AccessControl.Adopt) when the reference changes.
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>The inputs of one compiled restrict table.</summary>
/// <param name="Rules">Restrict lines in order: configured, then added at run time.</param>
/// <param name="Sources">Association addresses, for "restrict source".</param>
/// <param name="Interfaces">This host's listening addresses.</param>
public sealed record RestrictionInputs(IReadOnlyList<RestrictRule> Rules, IReadOnlyList<ClientAddress> Sources, IReadOnlyList<ClientAddress> Interfaces)
{
    /// <summary>Compiles these inputs into a table (RestrictionTable.Compile).</summary>
    public RestrictionTable Compile() => RestrictionTable.Compile(Rules, Sources, Interfaces);
}

// IRuntimeConfigurator: the port through which ntpq's `:config` reaches the daemon (mode 6
// CONFIGURE, ntpd 4.2.8 ntp_control.c configure()). The control responder checks authentication
// (controlkey), `restrict nomodify` and the text itself; the host parses and applies the configuration
// lines through the Engine (NtpEngine.MobilizeAssociation, DemobilizeAssociation, ResolveAssociation),
// whose decisions — sockets to open or close, names to resolve — go into the request's EngineActions.
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

/// <summary>Applies configuration text received over mode 6.</summary>
public interface IRuntimeConfigurator
{
    /// <summary>
    /// Applies the lines of <paramref name="text"/> sent by <paramref name="source"/> at
    /// <paramref name="now"/>, with the request's <paramref name="actions"/>; returns the answer ntpq
    /// prints: "Config Succeeded", or one "column N message" line per error.
    /// </summary>
    string Configure(string text, in ClientAddress source, LoopTime now, EngineActions actions);
}

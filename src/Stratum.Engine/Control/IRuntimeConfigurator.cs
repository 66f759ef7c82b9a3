// IRuntimeConfigurator: the port through which ntpq's `:config` reaches the daemon (mode 6
// CONFIGURE, ntpd 4.2.8 ntp_control.c configure()). The control responder checks authentication
// (controlkey), `restrict nomodify` and the text itself; the host applies the configuration lines,
// because mobilizing an association opens sockets and resolves names, which the Engine never does.
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

/// <summary>Applies configuration text received over mode 6.</summary>
public interface IRuntimeConfigurator
{
    /// <summary>
    /// Applies the lines of <paramref name="text"/> sent by <paramref name="source"/>; returns the
    /// answer ntpq prints: "Config Succeeded", or one "column N message" line per error.
    /// </summary>
    string Configure(string text, in ClientAddress source);
}

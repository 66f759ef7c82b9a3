// InterfaceAction: what ntpd does with a local address matched by an interface (nic) rule
// (ntpd 4.2.8 miscopt.html, "interface [listen | ignore | drop] ...").
namespace Stratum.Core.Config;

/// <summary>The action of an interface rule.</summary>
public enum InterfaceAction
{
    /// <summary><c>listen</c>: open a socket and serve.</summary>
    Listen,

    /// <summary><c>ignore</c>: do not open a socket.</summary>
    Ignore,

    /// <summary><c>drop</c>: open a socket but drop what arrives.</summary>
    Drop,
}

// EmbeddedDefaults: the configuration ntpd uses when /etc/ntp.conf does not exist. It is safe on
// any machine: it serves the undisciplined local clock (fudged to stratum 10) to this host only and never
// touches the system clock ("disable ntp": ARCHITECTURE.md §5, the observe-only driver). A test
// checks that it parses with no diagnostics.
namespace Stratum.Core.Config;

/// <summary>The built-in fallback configuration.</summary>
public static class EmbeddedDefaults
{
    /// <summary>The file name shown in diagnostics for <see cref="Text"/>.</summary>
    public const string FileName = "<embedded default>";

    /// <summary>The configuration text, in ntp.conf syntax.</summary>
    public const string Text = """
        # Stratum's embedded default configuration.
        #
        # ntpd uses this because /etc/ntp.conf does not exist. It is deliberately harmless:
        # - it never adjusts the system clock ("disable ntp": observe and serve only);
        # - its only time source is the local clock at stratum 10 (clients see stratum 11);
        # - it listens on the loopback addresses only, so only this host can query it.
        # To synchronize to real servers, write /etc/ntp.conf, for example:
        #   driftfile /var/lib/ntp/ntp.drift
        #   pool pool.ntp.org iburst
        #   restrict default kod limited nomodify notrap nopeer noquery
        #   restrict 127.0.0.1
        #   restrict ::1

        # The undisciplined local clock (driver type 1, LOCAL).
        server 127.127.1.0
        fudge 127.127.1.0 stratum 10

        # Never discipline the system clock.
        disable ntp

        # Loopback only: no wildcard sockets, no other interface.
        interface ignore wildcard
        interface listen 127.0.0.1
        interface listen ::1

        # No restrict lines: this version does not enforce access control yet, and the
        # loopback-only listening above already limits who can reach the daemon.

        """;
}

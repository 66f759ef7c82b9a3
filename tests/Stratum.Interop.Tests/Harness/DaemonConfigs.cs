// Configuration files of the three servers the interop tests start, each writing only into its own
// private run directory. chronyd and ntpsec are set up as in the load benchmarks (chronyd: `local stratum 1`,
// no command port; ntpsec: orphan mode, `disable ntp`/`disable kernel`, loopback only). Ours is the
// classic undisciplined local-clock server: stratum 10 local clock, so it serves stratum 11.
using System.Net;

namespace Stratum.Interop.Tests.Harness;

public static class DaemonConfigs
{
    /// <summary>chronyd 4.3, started with -x (never touches the clock): serves its own clock as stratum 1.</summary>
    public static string Chronyd(IPAddress address, string runDirectory) => $"""
        # chronyd anchor for Stratum.Interop.Tests: local stratum 1, no command port
        bindaddress {address}
        port 123
        local stratum 1
        allow 127.0.0.0/8
        cmdport 0
        pidfile {runDirectory}/chronyd.pid
        """ + "\n";

    /// <summary>The symmetric keys both sides of the authentication tests use (ntp.keys(5)): MD5, SHA-1
    /// and AES-128-CMAC. Key 9 has a different secret here than in <see cref="WrongKeys"/>.</summary>
    public const string Keys = """
        1 MD5 Stratum-interop
        2 SHA1 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c
        3 AES128CMAC 2b7e151628aed2a6abf7158809cf4f3c
        9 MD5 the-right-one
        """ + "\n";

    /// <summary>Key 9 with a secret the servers do not have.</summary>
    public const string WrongKeys = "9 MD5 a-wrong-one\n";

    /// <summary>ntpsec 1.2.2 in orphan mode: LI=0, stratum 1, refid LOOP about 1 s after start; it
    /// signs replies to requests authenticated with keys 1–3 and 9 (<see cref="Keys"/>). It has one
    /// `noselect` SHM reference clock (unit 9, never fed), so ntpq shows a real association on both
    /// sides of the mode 6 comparisons while the orphan-mode state the other tests rely on stays as it
    /// is. (NTPsec refuses a loopback address other than 127.0.0.1 as a server: "attempt to configure
    /// invalid address".)</summary>
    public static string Ntpsec(string runDirectory) => $"""
        # ntpsec anchor for Stratum.Interop.Tests: orphan mode, loopback only.
        # It still tries ntp_adjtime() at start-up; setpriv has removed CAP_SYS_TIME, so that fails (EPERM).
        disable ntp
        disable kernel
        tos orphan 1
        tos orphanwait 0
        interface ignore all
        interface ignore wildcard
        restrict default nomodify
        restrict 127.0.0.0 mask 255.0.0.0 nomodify
        restrict ::1 nomodify
        statsdir {runDirectory}/
        keys {runDirectory}/ntp.keys
        trustedkey 1 2 3 9
        refclock shm unit 9 refid TEST noselect
        """ + "\n";

    /// <summary>
    /// Our ntpd: local clock 127.127.1.0 fudged to stratum 10, `disable ntp` (serves the system clock,
    /// never disciplines it), listening on ADDRESS only. ntpd 4.2.8 (ntp_io.c interface_action) listens
    /// on the loopback addresses 127.0.0.1 and ::1 unless a rule names them ("all" excludes them), so
    /// they are ignored explicitly: otherwise a faithful ntpd takes ntpsec's 127.0.0.1:123. Any other
    /// address without a rule is implicitly ignored once rules exist; the last matching rule wins.
    /// </summary>
    public static string OurNtpd(IPAddress address, string runDirectory, string extraLines = "") => $"""
        # Stratum ntpd under Stratum.Interop.Tests: an undisciplined stratum 11 server on {address}
        {extraLines}
        server 127.127.1.0
        fudge 127.127.1.0 stratum 10
        disable ntp
        interface ignore wildcard
        interface ignore 127.0.0.1
        interface ignore ::1
        interface listen {address}
        restrict default nomodify notrap nopeer
        driftfile {runDirectory}/ntp.drift
        logfile {runDirectory}/ntpd.log
        """ + "\n";
}

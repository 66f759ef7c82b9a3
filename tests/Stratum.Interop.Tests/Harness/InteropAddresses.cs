// The loopback addresses of the interop tests, one place so no two test classes ever share one.
// ntpsec can bind only addresses that exist on an interface and always takes 127.0.0.1 (+ ::1);
// chronyd sits on 127.0.0.11, as in the load benchmarks (bench/RESULTS.md); our daemon gets 127.0.0.20-40,
// a distinct address per test class. All on UDP port 123 (ntpdig, sntp and ntpdate cannot use
// another port).
using System.Net;

namespace Stratum.Interop.Tests.Harness;

public static class InteropAddresses
{
    public static readonly IPAddress Ntpsec = IPAddress.Parse("127.0.0.1");
    public static readonly IPAddress Chronyd = IPAddress.Parse("127.0.0.11");

    public static readonly IPAddress OurNtpdStartup = IPAddress.Parse("127.0.0.21");
    public static readonly IPAddress OurNtpdClientTools = IPAddress.Parse("127.0.0.22");
    public static readonly IPAddress OurNtpdChronyClient = IPAddress.Parse("127.0.0.23");
    public static readonly IPAddress OurNtpdCapture = IPAddress.Parse("127.0.0.24");
    public static readonly IPAddress OurNtpdShutdown = IPAddress.Parse("127.0.0.25");
    public static readonly IPAddress OurNtpdMode6 = IPAddress.Parse("127.0.0.26");
    public static readonly IPAddress OurNtpdClientOfChronyd = IPAddress.Parse("127.0.0.27");
    public static readonly IPAddress OurNtpdClientOfNtpsec = IPAddress.Parse("127.0.0.28");

    // Three of our servers (the last one shifted by fudge time1 0.050) and our client of all three.
    public static readonly IPAddress OurTruechimerA = IPAddress.Parse("127.0.0.29");
    public static readonly IPAddress OurTruechimerB = IPAddress.Parse("127.0.0.30");
    public static readonly IPAddress OurFalseticker = IPAddress.Parse("127.0.0.31");
    public static readonly IPAddress OurClientOfThree = IPAddress.Parse("127.0.0.32");

    /// <summary>Our ntpd with keys: a client of ntpsec by keys 1 and 3, and a server for ntpdig -a.</summary>
    public static readonly IPAddress OurKeyedNtpd = IPAddress.Parse("127.0.0.33");

    /// <summary>Interleaved mode (RFC 9769): our server for chronyd's `xleave`, and our `xleave` client of chronyd.</summary>
    public static readonly IPAddress OurInterleavedServer = IPAddress.Parse("127.0.0.38");
    public static readonly IPAddress OurInterleavedClient = IPAddress.Parse("127.0.0.39");

    /// <summary>Interleaved symmetric mode: our ntpd and a chronyd of its own as `peer … xleave` of each other.</summary>
    public static readonly IPAddress OurInterleavedPeer = IPAddress.Parse("127.0.0.37");
    public static readonly IPAddress ChronydInterleavedPeer = IPAddress.Parse("127.0.0.36");

    /// <summary>NTS: a chronyd of its own serving NTS-KE (port 4460) and NTS-protected NTP (port 123).</summary>
    public static readonly IPAddress ChronydNts = IPAddress.Parse("127.0.0.35");

    /// <summary>NTS: our NTS-KE server (in the test process) for a chronyd client.</summary>
    public static readonly IPAddress OurNtsKeServer = IPAddress.Parse("127.0.0.34");
}

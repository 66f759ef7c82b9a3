// Wireshark's view of our dist/ntpd on 127.0.0.24: tshark captures our replies on lo and its
// independent NTP dissector must find them well formed (no malformed field, no expert warning),
// mode 4, stratum 11, refid 127.127.1.0.
using System.Net;
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdCaptureTests(OurNtpdFixture ntpd) : IClassFixture<OurNtpdFixture>
{
    private static readonly IPAddress s_address = InteropAddresses.OurNtpdCapture;

    [Fact]
    public async Task Tshark_OurNtpdReplies_DecodeAsWellFormedMode4Stratum11()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        var decode = await CaptureAssert.CaptureQueriesAsync(s_address, cancellationToken);

        CaptureAssert.RepliesAreWellFormed(decode, s_address, DaemonLauncher.OurNtpdStratum,
            OurNtpdStartupTests.LocalClockReferenceId);
    }
}

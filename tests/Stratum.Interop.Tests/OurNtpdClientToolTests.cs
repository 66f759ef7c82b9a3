// ntpsec's client tools against our dist/ntpd on 127.0.0.22: ntpdig, ntpdig -j and sntp must
// accept it (stratum 11, no-leap) and see |offset| < 1 ms (same machine, same clock).
using System.Net;
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdClientToolTests(OurNtpdFixture ntpd) : IClassFixture<OurNtpdFixture>
{
    private static readonly IPAddress s_address = InteropAddresses.OurNtpdClientTools;

    [Fact]
    public async Task Ntpdig_AgainstOurNtpd_ReportsStratum11WithinOneMillisecond()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.NtpdigAsync(s_address, json: false, token),
            output => NtpdigResult.ParseLine(output.StandardOutput), IsGood, cancellationToken);

        ClientToolAssert.AllReportStratum(attempts, s_address, DaemonLauncher.OurNtpdStratum);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    [Fact]
    public async Task NtpdigJson_AgainstOurNtpd_ReportsStratum11WithinOneMillisecond()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.NtpdigAsync(s_address, json: true, token),
            output => NtpdigResult.ParseJson(output.StandardOutput), IsGood, cancellationToken);

        ClientToolAssert.AllReportStratum(attempts, s_address, DaemonLauncher.OurNtpdStratum);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    [Fact]
    public async Task Sntp_AgainstOurNtpd_ReportsStratum11WithinOneMillisecond()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.SntpAsync(s_address, token),
            output => NtpdigResult.ParseLine(output.StandardOutput), IsGood, cancellationToken);

        ClientToolAssert.AllReportStratum(attempts, s_address, DaemonLauncher.OurNtpdStratum);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    private static bool IsGood(NtpdigResult result) => Math.Abs(result.Offset) < ClientTools.MaxLoopbackOffset;
}

// chronyd as a client of our dist/ntpd on 127.0.0.23: `chronyd -Q` (measure only, the clock is never
// touched) must accept our server and measure |offset| < 1 ms.
using System.Net;
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdChronyClientTests(OurNtpdFixture ntpd) : IClassFixture<OurNtpdFixture>
{
    private static readonly IPAddress s_address = InteropAddresses.OurNtpdChronyClient;

    [Fact]
    public async Task ChronydQuery_AgainstOurNtpd_MeasuresOffsetWithinOneMillisecond()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.ChronydQueryAsync(s_address, token),
            output => ChronydQueryResult.Parse(output.CombinedOutput),
            result => Math.Abs(result.Offset) < ClientTools.MaxLoopbackOffset, cancellationToken);

        ClientToolAssert.AllParsedWithExitZero(attempts);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }
}

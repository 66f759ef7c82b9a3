// Proves the interop harness against the reference servers alone, before our daemon exists: chronyd
// (127.0.0.11) and ntpsec (127.0.0.1) must satisfy every check that the tests of our daemon use
// (probe, ntpdig, ntpdig -j, sntp, chronyd -Q, tshark decode). If one of these fails, the harness
// or the machine is broken, not our daemon. Both anchors serve this machine's clock at stratum 1.
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class AnchorHarnessTests(AnchorServers anchors)
{
    public const string Chronyd = "chronyd";
    public const string Ntpsec = "ntpsec";

    [Theory]
    [InlineData(Chronyd)]
    [InlineData(Ntpsec)]
    public async Task Probe_AgainstAnchor_ReturnsSynchronisedStratum1WithinOneMillisecond(string anchor)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await StartAsync(anchor, cancellationToken);

        var reply = await NtpProbe.QueryBestAsync(server.Address, samples: 3, cancellationToken);

        Assert.True(reply is not null, $"no reply from {server.Address}\n{server.Diagnostics()}");
        Assert.Equal((0, 4, 4, 1), (reply.LeapIndicator, reply.Version, reply.Mode, reply.Stratum));
        Assert.True(Math.Abs(reply.Offset) < ClientTools.MaxLoopbackOffset, $"offset too large: {reply}");
        Assert.True(reply.Delay is >= -0.0001 and < 0.01, $"implausible loopback delay: {reply}");
    }

    [Theory]
    [InlineData(Chronyd)]
    [InlineData(Ntpsec)]
    public async Task Ntpdig_AgainstAnchor_ReportsStratum1WithinOneMillisecond(string anchor)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await StartAsync(anchor, cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.NtpdigAsync(server.Address, json: false, token),
            output => NtpdigResult.ParseLine(output.StandardOutput), IsGood, cancellationToken);

        ClientToolAssert.AllReportStratum(attempts, server.Address, 1);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    [Theory]
    [InlineData(Chronyd)]
    [InlineData(Ntpsec)]
    public async Task NtpdigJson_AgainstAnchor_ReportsStratum1WithinOneMillisecond(string anchor)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await StartAsync(anchor, cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.NtpdigAsync(server.Address, json: true, token),
            output => NtpdigResult.ParseJson(output.StandardOutput), IsGood, cancellationToken);

        ClientToolAssert.AllReportStratum(attempts, server.Address, 1);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    [Theory]
    [InlineData(Chronyd)]
    [InlineData(Ntpsec)]
    public async Task Sntp_AgainstAnchor_ReportsStratum1WithinOneMillisecond(string anchor)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await StartAsync(anchor, cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.SntpAsync(server.Address, token),
            output => NtpdigResult.ParseLine(output.StandardOutput), IsGood, cancellationToken);

        ClientToolAssert.AllReportStratum(attempts, server.Address, 1);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    [Theory]
    [InlineData(Chronyd)]
    [InlineData(Ntpsec)]
    public async Task ChronydQuery_AgainstAnchor_MeasuresOffsetWithinOneMillisecond(string anchor)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await StartAsync(anchor, cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.ChronydQueryAsync(server.Address, token),
            output => ChronydQueryResult.Parse(output.CombinedOutput),
            result => Math.Abs(result.Offset) < ClientTools.MaxLoopbackOffset, cancellationToken);

        ClientToolAssert.AllParsedWithExitZero(attempts);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    [Fact]
    public async Task Tshark_ChronydReplies_DecodeAsWellFormedMode4Stratum1()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await StartAsync(Chronyd, cancellationToken);

        var decode = await CaptureAssert.CaptureQueriesAsync(server.Address, cancellationToken);

        CaptureAssert.RepliesAreWellFormed(decode, server.Address, expectedStratum: 1, expectedReferenceId: 0x7F7F0101);
    }

    private static bool IsGood(NtpdigResult result) => Math.Abs(result.Offset) < ClientTools.MaxLoopbackOffset;

    private Task<RunningDaemon> StartAsync(string anchor, CancellationToken cancellationToken) => anchor switch
    {
        Chronyd => anchors.ChronydAsync(cancellationToken),
        Ntpsec => anchors.NtpsecAsync(cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(anchor), anchor, "chronyd or ntpsec"),
    };
}

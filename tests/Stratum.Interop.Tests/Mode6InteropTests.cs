// Mode 6 both ways on loopback: ntpsec's ntpq (-c rv, -p, -c as) against our dist/ntpd on
// 127.0.0.26 must show stratum 11, refid LOCL and the local clock association as system peer;
// our dist/ntpq -c rv against ntpsec's ntpd on 127.0.0.1 must show the stratum and refid that
// ntpsec's own ntpq shows for the same server.
using System.Text.RegularExpressions;
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public partial class Mode6InteropTests(OurNtpdFixture ntpd, AnchorServers anchors) : IClassFixture<OurNtpdFixture>
{
    private static readonly System.Net.IPAddress s_address = InteropAddresses.OurNtpdMode6;

    [GeneratedRegex(@"\bstratum=(\d+)")]
    private static partial Regex StratumVariable();

    [GeneratedRegex(@"\brefid=([^,\s]+)")]
    private static partial Regex RefidVariable();

    [Fact]
    public async Task NtpsecNtpqReadVar_AgainstOurNtpd_ShowsStratum11RefidLocl()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        ProcessResult result = await ClientTools.NtpsecNtpqAsync(["-c", "rv", s_address.ToString()], cancellationToken);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("associd=0 status=0515 leap_none, sync_local, 1 event, clock_sync,", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(StratumVariable().Match(result.StandardOutput).Groups[1].Value == "11", result.Describe());
        Assert.True(RefidVariable().Match(result.StandardOutput).Groups[1].Value == "LOCL", result.Describe());
        Assert.Contains("version=\"ntpd Stratum", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NtpsecNtpqPeers_AgainstOurNtpd_ShowsLocalClockAsSystemPeer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        ProcessResult peers = await ClientTools.NtpsecNtpqAsync(["-p", s_address.ToString()], cancellationToken);
        ProcessResult associations = await ClientTools.NtpsecNtpqAsync(["-c", "as", s_address.ToString()], cancellationToken);

        Assert.True(peers.ExitCode == 0, peers.Describe());
        string line = peers.StandardOutput.Split('\n').Single(l => l.StartsWith('*'));
        string[] columns = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(columns is ["127.127.1.0", ".LOCL.", "10", _, _, "64", "1" or "3" or "7" or "17", ..], peers.Describe());
        Assert.Contains("  1     1  961a   yes   yes  none  sys.peer    sys_peer  1", associations.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OurNtpqReadVar_AgainstNtpsec_ShowsWhatNtpsecNtpqShows()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        RunningDaemon ntpsec = await anchors.NtpsecAsync(cancellationToken);
        string host = ntpsec.Address.ToString();

        ProcessResult theirs = await ClientTools.NtpsecNtpqAsync(["-c", "rv 0 stratum,refid", host], cancellationToken);
        ProcessResult ours = await ClientTools.OurNtpqAsync(["-c", "rv 0 stratum,refid", host], cancellationToken);
        ProcessResult oursAll = await ClientTools.OurNtpqAsync(["-c", "rv", host], cancellationToken);

        Assert.True(theirs.ExitCode == 0, theirs.Describe());
        Assert.True(ours.ExitCode == 0 && ours.StandardError.Length == 0, ours.Describe());
        string theirStratum = StratumVariable().Match(theirs.StandardOutput).Groups[1].Value;
        string theirRefid = RefidVariable().Match(theirs.StandardOutput).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(theirStratum), theirs.Describe());
        Assert.Equal(theirStratum, StratumVariable().Match(ours.StandardOutput).Groups[1].Value);
        Assert.Equal(theirRefid, RefidVariable().Match(ours.StandardOutput).Groups[1].Value);
        Assert.True(oursAll.StandardOutput.StartsWith("associd=0 status=", StringComparison.Ordinal), oursAll.Describe());
        Assert.Equal(theirStratum, StratumVariable().Match(oursAll.StandardOutput).Groups[1].Value);
    }
}

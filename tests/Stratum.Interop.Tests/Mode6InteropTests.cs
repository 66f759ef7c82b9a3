// Mode 6 both ways on loopback: ntpsec's ntpq (-c rv, -p, -c as, sysinfo) against our dist/ntpd
// on 127.0.0.26 must show stratum 11, refid 127.127.1.0 and the local clock association as system peer;
// our dist/ntpq (-c rv, -p, -c as) and our dist/ntpdc -c sysinfo (mode 6 fallback: ntpsec has no
// mode 7) against ntpsec's ntpd on 127.0.0.1 must show what ntpsec's own ntpq shows for the same
// fields: system variables by name, and its one association (a noselect SHM clock) in `as`,
// `-pn` and `rv ASSOC`. mrulist both ways, after an NTPv4 client request from 127.0.0.39: NTPsec's `ntpq -n -c
// mrulist` against our ntpd lists that client (mode 3, version 4) and the address it queried from
// (mode 6); our `ntpq -n -c mrulist` against NTPsec's ntpd lists every address NTPsec's own ntpq
// listed just before (entries only get added or refreshed in between), the client among them.
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public partial class Mode6InteropTests(OurNtpdFixture ntpd, AnchorServers anchors) : IClassFixture<OurNtpdFixture>
{
    private static readonly System.Net.IPAddress s_address = InteropAddresses.OurNtpdMode6;

    /// <summary>Source of the client request the mrulist tests expect to see listed (an ephemeral port, never 123).</summary>
    private static readonly IPAddress s_mruClient = IPAddress.Parse("127.0.0.39");

    [GeneratedRegex(@"\bstratum=(\d+)")]
    private static partial Regex StratumVariable();

    [GeneratedRegex(@"\brefid=([^,\s]+)")]
    private static partial Regex RefidVariable();

    [Fact]
    public async Task NtpsecNtpqReadVar_AgainstOurNtpd_ShowsStratum11RefidOfTheLocalClock()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        ProcessResult result = await ClientTools.NtpsecNtpqAsync(["-c", "rv", s_address.ToString()], cancellationToken);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("associd=0 status=0515 leap_none, sync_local, 1 event, clock_sync,", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(StratumVariable().Match(result.StandardOutput).Groups[1].Value == "11", result.Describe());
        Assert.True(RefidVariable().Match(result.StandardOutput).Groups[1].Value is "127.127.1.0" or "LOCAL(0)", result.Describe());
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

        const string names = "leap,stratum,precision,rootdelay,refid,peer,tc,mintc";
        ProcessResult theirs = await ClientTools.NtpsecNtpqAsync(["-c", "rv 0 " + names, host], cancellationToken);
        ProcessResult ours = await ClientTools.OurNtpqAsync(["-c", "rv 0 " + names, host], cancellationToken);
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
        Dictionary<string, string> theirValues = Variables(theirs.StandardOutput);
        Dictionary<string, string> ourValues = Variables(ours.StandardOutput);
        foreach (string name in names.Split(','))
        {
            Assert.True(theirValues.TryGetValue(name, out string? their) && ourValues.TryGetValue(name, out string? our)
                && (their == our || (double.TryParse(their, System.Globalization.CultureInfo.InvariantCulture, out double a)
                    && double.TryParse(our, System.Globalization.CultureInfo.InvariantCulture, out double b) && a == b)),
                $"{name}: {theirs.Describe()}{ours.Describe()}");
        }
    }

    [GeneratedRegex(@"^stratum: +(\d+)$", RegexOptions.Multiline)]
    private static partial Regex SysinfoStratum();

    [Fact]
    public async Task NtpsecNtpqSysinfo_AgainstOurNtpd_ShowsLocalClockPeer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);

        ProcessResult result = await ClientTools.NtpsecNtpqAsync(["-c", "sysinfo", s_address.ToString()], cancellationToken);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("127.127.1.0", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(SysinfoStratum().Match(result.StandardOutput).Groups[1].Value == "11", result.Describe());
    }

    [Fact]
    public async Task OurNtpqPeersAndAssociations_AgainstNtpsec_ShowWhatNtpsecNtpqShows()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        RunningDaemon ntpsec = await anchors.NtpsecAsync(cancellationToken);
        string host = ntpsec.Address.ToString();

        ProcessResult theirAs = await ClientTools.NtpsecNtpqAsync(["-c", "as", host], cancellationToken);
        ProcessResult ourAs = await ClientTools.OurNtpqAsync(["-c", "as", host], cancellationToken);
        ProcessResult theirPeers = await ClientTools.NtpsecNtpqAsync(["-pn", host], cancellationToken);
        ProcessResult ourPeers = await ClientTools.OurNtpqAsync(["-pn", host], cancellationToken);

        Assert.True(ourAs.ExitCode == 0 && ourAs.StandardError.Length == 0, ourAs.Describe());
        Assert.True(ourPeers.ExitCode == 0 && ourPeers.StandardError.Length == 0, ourPeers.Describe());
        // NTPsec's one association (a noselect SHM clock): association id and status word agree.
        Assert.True(AssociationRows(ourAs.StandardOutput).Count == 1, ourAs.Describe() + theirAs.Describe());
        Assert.Equal(AssociationRows(theirAs.StandardOutput), AssociationRows(ourAs.StandardOutput));
        // Its peers row: tally, refid, stratum, type, poll and reach agree; the remote is the clock's
        // address with -n in ntpq 4.2.8's layout (ours) where NTPsec's ntpq prints SHM(9) regardless.
        Assert.True(PeerKeys(ourPeers.StandardOutput) is [var ours] && ours.StartsWith("  127.127.28.9 .TEST. 0 l 64 0", StringComparison.Ordinal),
            ourPeers.Describe() + theirPeers.Describe());
        Assert.Equal(PeerKeys(theirPeers.StandardOutput).Select(WithoutRemote), PeerKeys(ourPeers.StandardOutput).Select(WithoutRemote));

        // The same association's variables, by name, as both tools print them.
        string associationId = AssociationRows(ourAs.StandardOutput)[0].Split(' ')[0];
        const string names = "srcadr,srcport,stratum,hmode,pmode,hpoll,ppoll,leap,reach,refid,precision,rootdelay,rootdisp";
        ProcessResult theirVariables = await ClientTools.NtpsecNtpqAsync(["-n", "-c", $"rv {associationId} {names}", host], cancellationToken);
        ProcessResult ourVariables = await ClientTools.OurNtpqAsync(["-n", "-c", $"rv {associationId} {names}", host], cancellationToken);
        Dictionary<string, string> theirValues = Variables(theirVariables.StandardOutput);
        Dictionary<string, string> ourValues = Variables(ourVariables.StandardOutput);
        foreach (string name in new[] { "srcadr", "srcport", "stratum", "hmode", "pmode", "hpoll", "ppoll", "leap", "reach", "refid", "precision", "rootdelay", "rootdisp" })
        {
            // Same text, or the same number (NTPsec's ntpq reprints 0.000 as 0.0).
            Assert.True(theirValues.TryGetValue(name, out string? theirs) && ourValues.TryGetValue(name, out string? ours2)
                && (theirs == ours2 || (double.TryParse(theirs, System.Globalization.CultureInfo.InvariantCulture, out double a)
                    && double.TryParse(ours2, System.Globalization.CultureInfo.InvariantCulture, out double b) && a == b)),
                $"{name}: ntpsec's ntpq {theirValues.GetValueOrDefault(name)}, ours {ourValues.GetValueOrDefault(name)}\n{theirVariables.Describe()}{ourVariables.Describe()}");
        }
    }

    private static string WithoutRemote(string key) => key[0] + " " + string.Join(' ', key[2..].Split(' ').Skip(1));

    /// <summary>name=value pairs of an `rv` answer (quotes kept; NTPsec and ntpq 4.2.8 wrap lines differently).</summary>
    private static Dictionary<string, string> Variables(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in VariablePair().Matches(output))
        {
            values[match.Groups[1].Value] = match.Groups[2].Value;
        }

        return values;
    }

    [GeneratedRegex(@"(?:^|[\s,])([a-z_]+)=([^,\s]*)", RegexOptions.Multiline)]
    private static partial Regex VariablePair();

    [Fact]
    public async Task OurNtpdcSysinfo_AgainstNtpsec_FallsBackToMode6AndMatchesNtpsecNtpq()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        RunningDaemon ntpsec = await anchors.NtpsecAsync(cancellationToken);
        string host = ntpsec.Address.ToString();

        ProcessResult theirs = await ClientTools.NtpsecNtpqAsync(["-c", "rv 0 stratum,leap,precision,refid", host], cancellationToken);
        ProcessResult ours = await ManagedProcess.RunAsync(InteropEnvironment.OurTool("ntpdc"), ["-c", "sysinfo", host],
            TimeSpan.FromSeconds(20), cancellationToken);

        Assert.True(ours.ExitCode == 0 && ours.StandardError.Length == 0, ours.Describe());
        Assert.Contains("system peer mode:", ours.StandardOutput, StringComparison.Ordinal);
        Dictionary<string, string> values = Variables(theirs.StandardOutput);
        string Label(string label) => Regex.Match(ours.StandardOutput, "^" + label + @": +(.*)$", RegexOptions.Multiline).Groups[1].Value;
        string context = theirs.Describe() + ours.Describe();
        Assert.True(values["stratum"] == Label("stratum"), context);
        // NTPsec's ntpq prints leap as two bits (00) or a number (0); ntpdc always as two bits.
        Assert.True(int.Parse(values["leap"], System.Globalization.CultureInfo.InvariantCulture) == Convert.ToInt32(Label("leap indicator"), 2), context);
        Assert.True(values["precision"] == Label("precision"), context);
        Assert.True("[" + values["refid"] + "]" == Label("reference ID"), context);
    }

    [GeneratedRegex(@"^ *-?\d+ +-?[\d.]+ +[0-9a-f]+ [.KL] (\d) (\d) +\d+ +(?:\S+ +\S+ +)?\d+ (\S+)$", RegexOptions.Multiline)]
    private static partial Regex MruRow();

    /// <summary>(mode, version, address) of each row of an mrulist table printed with -n (ntpq 4.2.8's
    /// columns, or NTPsec's with a fractional avgint and score/drop before rport).</summary>
    private static List<(string Mode, string Version, string Address)> MruRows(string output) =>
        [.. MruRow().Matches(output).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value))];

    [Fact]
    public async Task NtpsecNtpqMruList_AgainstOurNtpd_ListsTheQueryingClient()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await ntpd.StartAsync(s_address, cancellationToken);
        await ClientRequestAsync(s_address, cancellationToken);

        ProcessResult result = await ClientTools.NtpsecNtpqAsync(["-n", "-c", "mrulist", s_address.ToString()], cancellationToken);

        Assert.True(result.ExitCode == 0 && result.StandardOutput.Contains("lstint avgint rstr r m v  count", StringComparison.Ordinal), result.Describe());
        List<(string Mode, string Version, string Address)> rows = MruRows(result.StandardOutput);
        Assert.True(rows.Contains(("3", "4", "127.0.0.39")), result.Describe());
        // ntpq's socket is unbound, so the kernel gives it 127.0.0.1 toward a loopback address.
        Assert.True(rows.Exists(row => row is ("6", _, "127.0.0.1")), result.Describe());
    }

    [Fact]
    public async Task OurNtpqMruList_AgainstNtpsec_ShowsTheAddressesNtpsecNtpqShows()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        RunningDaemon ntpsec = await anchors.NtpsecAsync(cancellationToken);
        string host = ntpsec.Address.ToString();
        await ClientRequestAsync(ntpsec.Address, cancellationToken);

        ProcessResult theirs = await ClientTools.NtpsecNtpqAsync(["-n", "-c", "mrulist", host], cancellationToken);
        ProcessResult ours = await ClientTools.OurNtpqAsync(["-n", "-c", "mrulist", host], cancellationToken);

        Assert.True(theirs.ExitCode == 0, theirs.Describe());
        Assert.True(ours.ExitCode == 0, ours.Describe());
        Assert.True(ours.StandardOutput.StartsWith("lstint avgint rstr r m v  count rport remote address\n" + new string('=', 78) + "\n", StringComparison.Ordinal)
            && ours.StandardError.Contains(" unique MRU entries and ", StringComparison.Ordinal), ours.Describe());
        HashSet<string> theirAddresses = [.. MruRows(theirs.StandardOutput).Select(row => row.Address)];
        HashSet<string> ourAddresses = [.. MruRows(ours.StandardOutput).Select(row => row.Address)];
        Assert.True(theirAddresses.Contains("127.0.0.1") && theirAddresses.Contains("127.0.0.39") && theirAddresses.IsSubsetOf(ourAddresses),
            $"NTPsec's ntpq: {string.Join(' ', theirAddresses)}; ours: {string.Join(' ', ourAddresses)}\n{theirs.Describe()}\n{ours.Describe()}");
    }

    /// <summary>One NTPv4 client request from 127.0.0.39 to SERVER:123, answered before returning.</summary>
    private static async Task ClientRequestAsync(IPAddress server, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(s_mruClient, 0));
        var request = new byte[48];
        request[0] = (4 << 3) | 3;
        request[47] = 1;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        await socket.SendToAsync(request, new IPEndPoint(server, NtpProbe.NtpPort), limit.Token);
        var reply = new byte[1024];
        SocketReceiveFromResult received = await socket.ReceiveFromAsync(reply, new IPEndPoint(IPAddress.Any, 0), limit.Token);
        Assert.True(received.ReceivedBytes >= 48, "no reply to the client request");
    }

    private static List<string> AssociationRows(string output) =>
        [.. output.Split('\n').Where(l => l.Length > 20 && char.IsAsciiDigit(l.TrimStart()[0]))
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(2)))];

    /// <summary>Tally, remote, refid, stratum, type, poll and reach of each `peers` row (not when, delay, offset, jitter).</summary>
    private static List<string> PeerKeys(string output) =>
        [.. output.Split('\n').Skip(2).Where(l => l.Length > 40)
            .Select(l => l[0] + " " + string.Join(' ', l[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries) is var words && words.Length >= 7
                ? (string[])[words[0], words[1], words[2], words[3], words[5], words[6]]
                : words))];
}

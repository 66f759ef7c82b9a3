// Symmetric-key authentication against NTPsec, both ways, on loopback (clock control removed).
// Our ntpd is a client of NTPsec's ntpd by keys 1 (MD5) and 3 (AES-128-CMAC), whose replies NTPsec
// signs: it synchronizes to NTPsec through them, and ntpq shows both associations authenticated. A
// third association by key 9, whose secret differs between the two keys files, gets only crypto-NAKs
// from NTPsec and stays unauthenticated and unreachable. And NTPsec's ntpdig, authenticating with
// key 2 (SHA-1), accepts our ntpd's signed replies; our ntpdate -a 3 gets NTPsec's signed reply.
// Mode 6 writes: NTPsec's ntpq, with our controlkey from the keys file, adds and removes a server
// by :config on our ntpd, while another trusted key is refused; our ntpq's :config to NTPsec's
// ntpd (which has no controlkey) is refused as NTPsec answers it.
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdAuthenticationTests(AnchorServers anchors)
{
    [Fact]
    public async Task OurNtpd_KeyedClientOfNtpsec_AuthenticatesBothWays()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _ = InteropEnvironment.OurTool("ntpd");
        RunningDaemon upstream = await anchors.NtpsecAsync(cancellationToken);
        string keysDirectory = Directory.CreateTempSubdirectory("stratum-interop-keys-").FullName;
        try
        {
            string keys = Path.Combine(keysDirectory, "ntp.keys");
            DaemonLauncher.WriteKeys(keys, DaemonConfigs.Keys.Replace("9 MD5 the-right-one", DaemonConfigs.WrongKeys.Trim(), StringComparison.Ordinal));
            string extra = $"""
                keys {keys}
                trustedkey 1 2 3 9
                server {upstream.Address} key 1 iburst minpoll 3 maxpoll 4
                server {upstream.Address} key 3 iburst minpoll 3 maxpoll 4
                server {upstream.Address} key 9 iburst minpoll 3 maxpoll 4
                """;
            // Ready on its local clock at once; the keyed associations follow within the startup hold
            // (at most 16 s while one source, key 9, never answers usefully).
            await using RunningDaemon ours = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurKeyedNtpd, extra, 11, cancellationToken);
            ProcessResult associations = await ClientTools.OurNtpqAsync(["-c", "associations", ours.Address.ToString()], cancellationToken);
            NtpReply? reply = null;
            for (int attempt = 0; attempt < 30; attempt++)
            {
                reply = await NtpProbe.QueryBestAsync(ours.Address, samples: 1, cancellationToken);
                associations = await ClientTools.OurNtpqAsync(["-c", "associations", ours.Address.ToString()], cancellationToken);
                if (reply?.Stratum == 2 && AuthColumn(associations).SequenceEqual(["none", "ok", "ok", "bad"]))
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }

            // ind assid status conf reach auth condition ...: the local clock, then keys 1, 3 and 9.
            Assert.True(reply?.Stratum == 2, $"not synchronized to ntpsec through its signed replies: {reply}\n{ours.Diagnostics()}");
            Assert.True(AuthColumn(associations).SequenceEqual(["none", "ok", "ok", "bad"]), associations.Describe());
            Assert.Equal("no", Column(associations, 4)[3]);

            // Our ntpdate authenticating to NTPsec with the AES-CMAC key: NTPsec signs its reply and
            // ntpdate -d accepts it (receive: t1 …). NTPsec's orphan-mode reference time is 0, so
            // ntpdate then finds it unsuitable, as ntpdate 4.2.8 would (see OurNtpdateTests).
            ProcessResult ntpdate = await ManagedProcess.RunAsync(InteropEnvironment.OurTool("ntpdate"),
                ["-d", "-a", "3", "-k", keys, upstream.Address.ToString()], TimeSpan.FromSeconds(15), cancellationToken);
            Assert.True(ntpdate.StandardOutput.Contains("receive: t1 ", StringComparison.Ordinal)
                && !ntpdate.StandardOutput.Contains("authentication failed", StringComparison.Ordinal), ntpdate.Describe());

            ProcessResult ntpdig = await ManagedProcess.RunAsync(InteropEnvironment.Tool("ntpdig"),
                ["-a", "2", "-k", keys, "-t", "2", ours.Address.ToString()], TimeSpan.FromSeconds(15), cancellationToken);
            Assert.True(ntpdig.ExitCode == 0 && ntpdig.StandardOutput.Contains($"{ours.Address} s2 ", StringComparison.Ordinal), ntpdig.Describe());
        }
        finally
        {
            Directory.Delete(keysDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task NtpsecNtpq_ConfiguresOurNtpd_WithTheControlKey()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _ = InteropEnvironment.OurTool("ntpd");
        RunningDaemon ntpsec = await anchors.NtpsecAsync(cancellationToken);
        string keysDirectory = Directory.CreateTempSubdirectory("stratum-interop-keys-").FullName;
        try
        {
            string keys = Path.Combine(keysDirectory, "ntp.keys");
            DaemonLauncher.WriteKeys(keys, DaemonConfigs.Keys);
            // ntpq runs from 127.0.0.1: this line, more specific than the standard nomodify ones, lets it write.
            string extra = $"keys {keys}\ntrustedkey 1 2 3\ncontrolkey 1\nrestrict 127.0.0.1\n";
            await using RunningDaemon ours = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurKeyedNtpd, extra, 11, cancellationToken);
            string target = ours.Address.ToString();
            ProcessResult added = await ClientTools.NtpsecNtpqAsync(["-a", "1", "-k", keys, "-c", ":config server 127.0.0.11 iburst", target], cancellationToken);
            Assert.True(added.StandardOutput.Contains("Config Succeeded", StringComparison.Ordinal), added.Describe());
            ProcessResult refused = await ClientTools.NtpsecNtpqAsync(["-a", "2", "-k", keys, "-c", ":config server 127.0.0.13", target], cancellationToken);
            Assert.True((refused.StandardOutput + refused.StandardError).Contains("PERMISSION", StringComparison.Ordinal), refused.Describe());

            ProcessResult peers = await ClientTools.OurNtpqAsync(["-pn", target], cancellationToken);
            // The row starts with its tally code, which is '*' once the new server is already selected.
            Assert.True(peers.StandardOutput.Contains("127.0.0.11 ", StringComparison.Ordinal), peers.Describe());
            Assert.False(peers.StandardOutput.Contains("127.0.0.13", StringComparison.Ordinal), peers.Describe());

            ProcessResult removed = await ClientTools.NtpsecNtpqAsync(["-a", "1", "-k", keys, "-c", ":config unpeer 127.0.0.11", target], cancellationToken);
            Assert.True(removed.StandardOutput.Contains("Config Succeeded", StringComparison.Ordinal), removed.Describe());
            peers = await ClientTools.OurNtpqAsync(["-pn", target], cancellationToken);
            Assert.False(peers.StandardOutput.Contains("127.0.0.11", StringComparison.Ordinal), peers.Describe());

            // NTPsec's anchor has no controlkey: it refuses our signed :config with a permission error.
            ProcessResult toNtpsec = await ClientTools.OurNtpqAsync(
                ["-c", "keyid 1", "-c", "passwd Stratum-interop", "-c", ":config server 127.0.0.13", ntpsec.Address.ToString()], cancellationToken);
            Assert.True(toNtpsec.StandardError.Contains("***Server disallowed request (authentication?)", StringComparison.Ordinal), toNtpsec.Describe());
        }
        finally
        {
            Directory.Delete(keysDirectory, recursive: true);
        }
    }

    private static string[] AuthColumn(ProcessResult associations) => Column(associations, 5);

    /// <summary>Column <paramref name="index"/> of each association row of `ntpq -c associations`.</summary>
    private static string[] Column(ProcessResult associations, int index) =>
        [.. associations.StandardOutput.Split('\n')
            .Where(line => line.Contains(" yes ", StringComparison.Ordinal) || line.Contains(" no ", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length > index)
            .Select(words => words[index])];
}

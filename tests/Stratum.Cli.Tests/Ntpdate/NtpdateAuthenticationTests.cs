// ntpdate -a KEY -k FILE against our ntpd with the same keys (in-process, loopback, observe-only):
// the signed query is answered with a signed reply and ntpdate prints its usual lines; with a keys
// file whose secret for that id differs, the daemon answers with crypto-NAKs, ntpdate accepts none
// of them and reports "no server suitable for synchronization found" (exit 1), as ntpdate does.
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Cli.Tests.Ntpq;
using Stratum.Platform.Clock;
using Stratum.Tools.Ntpdate;

namespace Stratum.Cli.Tests.Ntpdate;

public sealed class NtpdateAuthenticationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpdate-auth-").FullName;
    private readonly TestDaemon _daemon;

    public NtpdateAuthenticationTests()
    {
        File.WriteAllText(Path.Combine(_directory, "server.keys"), "1 MD5 right-secret\n2 SHA1 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c\n");
        _daemon = new TestDaemon($"""
            keys {Path.Combine(_directory, "server.keys")}
            trustedkey 1 2
            {TestDaemon.LocalClockConfig}
            """);
    }

    public void Dispose()
    {
        _daemon.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private (int Exit, string Stdout, string Stderr) Ntpdate(string keysText, string keyId)
    {
        string keys = Path.Combine(_directory, $"client-{keyId}-{keysText.GetHashCode():x}.keys");
        File.WriteAllText(keys, keysText);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new NtpdateEnvironment(new ObserveOnlyClockDriver(), UdpNtpTransport.Open, SystemResolver.Resolve, 4242,
            TimeZoneInfo.Utc, SntpQueryRunner.SecureRandomCookie, new RecordingSyslog(), ServerPort: _daemon.Port);
        int exit = NtpdateCli.Run(["-q", "-p", "1", "-t", "1", "-a", keyId, "-k", keys, "127.0.0.1"], stdout, stderr, environment);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("1 MD5 right-secret\n", "1")]
    [InlineData("2 SHA1 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c\n", "2")]
    public void RightKey_SignedReplyAccepted(string keys, string keyId)
    {
        (int exit, string stdout, string stderr) = Ntpdate(keys, keyId);
        Assert.True(exit == 0, $"exit {exit}\n{stdout}{stderr}");
        Assert.StartsWith("server 127.0.0.1, stratum 11, offset ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongSecret_NoServerSuitable()
    {
        (int exit, string stdout, string stderr) = Ntpdate("1 MD5 wrong-secret\n", "1");
        Assert.Equal(1, exit);
        Assert.Contains("no server suitable for synchronization found", stdout + stderr, StringComparison.Ordinal);
    }
}

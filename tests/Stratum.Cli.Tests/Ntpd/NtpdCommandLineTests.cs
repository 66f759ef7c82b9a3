// ntpd's command line in-process: usage errors exit 2, --version, --check on good and bad files
// (exit 0/1 with file:line diagnostics), and a config error refusing to start.
using Stratum.Platform.Loop;
using Stratum.Tools.Ntpd;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdCommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new NtpdEnvironment("/nonexistent/ntp.conf", 4242, () => new ShutdownSignals(), AllowDaemonize: false);
        int exit = NtpdCli.Run(args, stdout, stderr, environment);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("-z")]
    [InlineData("--bogus")]
    [InlineData("stray-argument")]
    [InlineData("-c")]
    [InlineData("--virtual-clock", "abc")]
    [InlineData("--virtual-clock", "0.1,900")]
    [InlineData("-u", "no-such-user-stratum")]
    [InlineData("-u", "nobody:no-such-group-stratum")]
    [InlineData("-u", "nobody:")]
    [InlineData("-u", ":nogroup")]
    [InlineData("-u", "4000000")]
    [InlineData("-i", "/no/such/jail")]
    public void Run_BadCommandLine_PrintsUsageAndExits2(params string[] args)
    {
        (int exit, string stdout, string stderr) = Run(args);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("usage: ntpd [-46gnqx]", stderr);
    }

    [Fact]
    public void Run_Version_PrintsVersion()
    {
        (int exit, string stdout, _) = Run("--version");
        Assert.Equal(0, exit);
        Assert.Equal("ntpd Stratum 0.1.0 (ntpd 4.2.8 compatible)\n", stdout);
    }

    [Fact]
    public void Check_GuideStyleConfig_IsClean()
    {
        string path = Write("ntp.conf", """
            driftfile /var/lib/ntp/ntp.drift
            logfile /var/log/ntp.log
            statsdir /var/log/ntpstats/
            statistics loopstats peerstats clockstats
            filegen loopstats file loopstats type day enable
            pool 0.europe.pool.ntp.org iburst
            server 1.europe.pool.ntp.org iburst prefer
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            restrict -4 default kod notrap nomodify nopeer noquery
            restrict -6 default kod notrap nomodify nopeer noquery
            restrict 127.0.0.1
            restrict ::1
            restrict 192.168.1.0 mask 255.255.255.0 nomodify notrap
            """);
        (int exit, string stdout, string stderr) = Run("--check", "-c", path);
        Assert.Equal(0, exit);
        // The guide's whole configuration is acted on: nothing to warn about.
        Assert.Equal(string.Empty, stderr);
        Assert.Equal($"{path}: configuration OK (0 warnings)\n", stdout);
    }

    [Theory]
    [InlineData("sever 0.pool.ntp.org iburst\n", ":1:1: error: unknown directive 'sever'")]
    [InlineData("restrict 192.168.1.300 nomodify\n", ":1:10: error: bad address '192.168.1.300'")]
    [InlineData("server 10.0.0.1 minpoll x\n", ":1:25: error: 'minpoll' needs an integer from 3 to 17, not 'x'")]
    public void Check_BadConfig_Exits1WithFileLineMessage(string text, string expected)
    {
        string path = Write("bad.conf", text);
        (int exit, string stdout, string stderr) = Run("--check", "-c", path);
        Assert.Equal(1, exit);
        Assert.Equal(path + expected + "\n", stderr);
        Assert.Equal($"{path}: 1 error, 0 warnings\n", stdout);
    }

    // An ECDSA certificate and its key as PEM files; with <paramref name="otherKey"/> the key file holds another key.
    private (string Certificate, string Key) NtsCredentials(bool otherKey = false, int validDays = 10)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=ntp.test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(validDays));
        using var written = otherKey ? System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256) : null;
        return (Write("cert.pem", certificate.ExportCertificatePem() + "\n"), Write("key.pem", (written ?? key).ExportPkcs8PrivateKeyPem() + "\n"));
    }

    [Fact]
    public void Check_NtsCredentials_MatchingKeyAndCertificate_Pass()
    {
        (string certificate, string key) = NtsCredentials();
        string path = Write("nts.conf", $"nts enable\nnts key {key}\nnts cert {certificate}\n");
        (int exit, string stdout, string stderr) = Run("--check", "-c", path);
        Assert.Equal(0, exit);
        Assert.Contains("nts: not used by the daemon yet", stderr, StringComparison.Ordinal);
        Assert.Equal($"{path}: configuration OK (1 warning)\n", stdout);
    }

    [Fact]
    public void Check_NtsKeyOfAnotherCertificate_IsAnErrorAtTheKeyLine()
    {
        (string certificate, string key) = NtsCredentials(otherKey: true);
        string path = Write("nts.conf", $"nts enable\nnts key {key}\nnts cert {certificate}\n");
        (int exit, string stdout, string stderr) = Run("--check", "-c", path);
        Assert.Equal(1, exit);
        Assert.Contains($"{path}:2: error: nts key {key} does not go with nts cert {certificate}", stderr, StringComparison.Ordinal);
        Assert.Equal($"{path}: 1 error, 1 warning\n", stdout);
    }

    [Fact]
    public void Check_NtsMissingFilesOrSettings_AreErrors()
    {
        string path = Write("nts.conf", $"nts enable\nnts key {_directory}/none.pem\nnts cert {_directory}/none.crt\n");
        (int exit, _, string stderr) = Run("--check", "-c", path);
        Assert.Equal(1, exit);
        Assert.Contains($"{path}:3: error: NTS credentials: ", stderr, StringComparison.Ordinal);

        string bare = Write("bare.conf", "nts enable\n");
        (exit, _, stderr) = Run("--check", "-c", bare);
        Assert.Equal(1, exit);
        Assert.Contains($"{bare}: error: nts enable needs 'nts key FILE' and 'nts cert FILE'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadConfig_RefusesToStart()
    {
        string path = Write("bad.conf", "sever 0.pool.ntp.org\n");
        (int exit, _, string stderr) = Run("-n", "-c", path);
        Assert.Equal(1, exit);
        Assert.EndsWith($"ntpd: {path} has errors; not starting\n", stderr);
    }

    [Fact]
    public void Run_MissingExplicitConfig_Exits1()
    {
        (int exit, _, string stderr) = Run("-n", "--check", "-c", Path.Combine(_directory, "missing.conf"));
        Assert.Equal(1, exit);
        Assert.Contains("missing.conf", stderr);
    }

    [Fact]
    public void Check_NoConfigFile_UsesEmbeddedDefault()
    {
        (int exit, string stdout, string stderr) = Run("--check");
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Equal("<embedded default>: configuration OK (0 warnings)\n", stdout);
    }
}

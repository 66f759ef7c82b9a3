// NTS in ntp.conf, in NTPsec's words: the `nts` directive (enable, key, cert, ca, cookie, aead; the TLS
// tuning words warned) and the association options `nts`, `ca`, `noval`, `aead` on server and pool
// lines; every diagnostic with its exact text and position.
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

public class NtsConfigTests
{
    [Fact]
    public void NtsDirective_KeepsEverySetting()
    {
        ConfigParseResult result = ConfigParser.Parse("""
            nts enable
            nts key /etc/ntp/key.pem cert /etc/ntp/cert.pem
            nts ca /etc/ssl/certs cookie /var/lib/ntp/nts-keys
            nts aead AES_SIV_CMAC_512 aes_siv_cmac_256
            """, "ntp.conf");

        Assert.Empty(result.Diagnostics);
        NtsOptions nts = result.Config.Nts;
        Assert.True(nts.Enabled);
        Assert.Equal("/etc/ntp/key.pem", nts.KeyFile);
        Assert.Equal("ntp.conf:2", nts.KeyLocation);
        Assert.Equal("/etc/ntp/cert.pem", nts.CertificateFile);
        Assert.Equal("ntp.conf:2", nts.CertificateLocation);
        Assert.Equal("/etc/ssl/certs", nts.CaPath);
        Assert.Equal("/var/lib/ntp/nts-keys", nts.CookieFile);
        Assert.Equal([(ushort)17, (ushort)15], nts.Aeads);
    }

    [Fact]
    public void NoNtsLine_NtsIsOff()
    {
        ConfigParseResult result = ConfigParser.Parse("server 192.0.2.1\n", "ntp.conf");
        Assert.False(result.Config.Nts.Enabled);
        Assert.False(result.Config.Associations[0].Nts);
    }

    [Fact]
    public void ServerOptions_NtsCaNovalAead()
    {
        ConfigParseResult result = ConfigParser.Parse("server time.example.com iburst nts ca /etc/ntp/ca.pem noval aead AES_SIV_CMAC_256\npool pool.example.org nts\n", "ntp.conf");
        Assert.Empty(result.Diagnostics);
        AssociationConfig server = result.Config.Associations[0];
        Assert.True(server.Nts);
        Assert.Equal("/etc/ntp/ca.pem", server.NtsCa);
        Assert.True(server.NtsNoValidation);
        Assert.Equal((ushort)15, server.NtsAead);
        Assert.True(result.Config.Associations[1].Nts);
    }

    [Theory]
    [InlineData("nts", "ntp.conf:1:1: error: directive 'nts' needs at least one option")]
    [InlineData("nts key", "ntp.conf:1:1: error: directive 'nts' needs a file name")]
    [InlineData("nts aead", "ntp.conf:1:5: error: 'aead' needs an AEAD name")]
    [InlineData("nts aead AES_GCM_128", "ntp.conf:1:10: error: unknown NTS AEAD 'AES_GCM_128' (AES_SIV_CMAC_256, AES_SIV_CMAC_384 or AES_SIV_CMAC_512)")]
    [InlineData("nts mintls TLS1.2", "ntp.conf:1:5: warning: nts mintls: not used; the key exchange speaks TLS 1.3 only")]
    [InlineData("nts bogus", "ntp.conf:1:5: error: unknown option 'bogus' for nts")]
    [InlineData("server 192.0.2.1 noval", "ntp.conf:1:18: warning: option 'noval' only applies with 'nts' and is ignored")]
    [InlineData("server 192.0.2.1 nts aead CHACHA", "ntp.conf:1:27: error: unknown NTS AEAD 'CHACHA' (AES_SIV_CMAC_256, AES_SIV_CMAC_384 or AES_SIV_CMAC_512)")]
    [InlineData("peer 192.0.2.1 nts", "ntp.conf:1:1: warning: option 'nts' only applies to 'server' and 'pool' lines and is ignored on 'peer'")]
    [InlineData("server 127.127.28.0 nts", "ntp.conf:1:21: warning: option 'nts' has no effect on a reference clock")]
    public void NtsProblemLine_ReportsExactlyThisDiagnostic(string text, string expected)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");
        Assert.Equal([expected], result.Diagnostics.Select(d => d.ToString()));
    }
}

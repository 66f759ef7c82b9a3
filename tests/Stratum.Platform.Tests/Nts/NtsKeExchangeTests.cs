// Our NTS-KE client against our NTS-KE server over TLS 1.3 on loopback, with a CA and server certificate
// made here: the client gets AEAD 15 and eight 104-byte cookies, and the keys it exported are the ones
// sealed in the server's cookies (so both ends derived the same keys); the server names the NTP server
// and port when configured; a client that trusts another CA stops at the certificate, a client that
// offers no AEAD the server supports gets the bad-request error; the server counts both.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Stratum.Core.Nts;
using Stratum.Platform.Nts;

namespace Stratum.Platform.Tests.Nts;

public sealed class NtsKeExchangeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-nts-ke-").FullName;
    private readonly NtsCookieKey _cookieKey = NtsCookieKey.Create(3);

    public void Dispose()
    {
        _cookieKey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private NtsKeCredentials ServerCredentials(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Stratum NTS test server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [9, 9]);
        string certificateFile = Path.Combine(_directory, "server.crt");
        string keyFile = Path.Combine(_directory, "server.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        NtsKeCredentials? credentials = NtsKeCredentials.Load(certificateFile, keyFile, out string? error);
        Assert.True(credentials is not null, error);
        Assert.Equal(2, credentials.Chain.Count);
        return credentials;
    }

    private NtsKeServer Start(NtsKeCredentials credentials, string? ntpServer = null, ushort? ntpPort = null) =>
        new(new IPEndPoint(IPAddress.Loopback, 0), credentials, () => _cookieKey, TimeSpan.FromSeconds(5)) { NtpServer = ntpServer, NtpPort = ntpPort };

    [Fact]
    public void Exchange_GivesEightCookies_SealingTheKeysTheClientExported()
    {
        using X509Certificate2 ca = CreateCa("Stratum test CA");
        using NtsKeServer server = Start(ServerCredentials(ca));
        NtsKeResult result = NtsKeClient.Exchange("127.0.0.1", IPAddress.Loopback, server.LocalEndPoint.Port, [ca], true,
            [NtsKeMessages.AesSivCmac256], TimeSpan.FromSeconds(5));

        Assert.Equal(NtsKeMessages.AesSivCmac256, result.Keys.Aead);
        Assert.Equal(8, result.Cookies.Count);
        Assert.All(result.Cookies, cookie => Assert.Equal(104, cookie.Length));
        Assert.True(_cookieKey.TryOpen(result.Cookies[0], out NtsSessionKeys sealedKeys));
        Assert.Equal(result.Keys.ClientToServer, sealedKeys.ClientToServer);
        Assert.Equal(result.Keys.ServerToClient, sealedKeys.ServerToClient);
        Assert.NotEqual(result.Keys.ClientToServer, result.Keys.ServerToClient);
        Assert.Equal("127.0.0.1", result.NtpServer);
        Assert.Equal((ushort)123, result.NtpPort);
        Assert.Equal(1, server.Exchanges);
    }

    [Fact]
    public void Exchange_ChoosesTheClientsFirstSupportedAead_AndNamesTheNtpServer()
    {
        using X509Certificate2 ca = CreateCa("Stratum test CA");
        using NtsKeServer server = Start(ServerCredentials(ca), "ntp.example.net", 1123);
        NtsKeResult result = NtsKeClient.Exchange("127.0.0.1", IPAddress.Loopback, server.LocalEndPoint.Port, [ca], true,
            [30, NtsKeMessages.AesSivCmac512, NtsKeMessages.AesSivCmac256], TimeSpan.FromSeconds(5));
        Assert.Equal(NtsKeMessages.AesSivCmac512, result.Keys.Aead);
        Assert.Equal(64, result.Keys.ClientToServer.Length);
        Assert.Equal("ntp.example.net", result.NtpServer);
        Assert.Equal((ushort)1123, result.NtpPort);
    }

    [Fact]
    public void Client_TrustingAnotherCa_StopsAtTheCertificate()
    {
        using X509Certificate2 ca = CreateCa("Stratum test CA");
        using X509Certificate2 other = CreateCa("Another CA");
        using NtsKeServer server = Start(ServerCredentials(ca));
        NtsKeException refused = Assert.Throws<NtsKeException>(() => NtsKeClient.Exchange("127.0.0.1", IPAddress.Loopback, server.LocalEndPoint.Port,
            [other], true, [NtsKeMessages.AesSivCmac256], TimeSpan.FromSeconds(5)));
        Assert.Contains("not trusted", refused.Message, StringComparison.Ordinal);

        // Without validation (NTPsec's noval) the same server is accepted.
        Assert.Equal(8, NtsKeClient.Exchange("127.0.0.1", IPAddress.Loopback, server.LocalEndPoint.Port, [other], false,
            [NtsKeMessages.AesSivCmac256], TimeSpan.FromSeconds(5)).Cookies.Count);
    }

    [Fact]
    public void Client_OfferingNoSupportedAead_GetsBadRequest()
    {
        using X509Certificate2 ca = CreateCa("Stratum test CA");
        using NtsKeServer server = Start(ServerCredentials(ca));
        NtsKeException refused = Assert.Throws<NtsKeException>(() => NtsKeClient.Exchange("127.0.0.1", IPAddress.Loopback, server.LocalEndPoint.Port,
            [ca], true, [30], TimeSpan.FromSeconds(5)));
        Assert.Equal(NtsKeFailure.ServerError, refused.Failure);
        Assert.Contains("BadRequest", refused.Message, StringComparison.Ordinal);
        SpinWait.SpinUntil(() => server.Failures == 1, TimeSpan.FromSeconds(5));
        Assert.Equal(1, server.Failures);
    }

    [Fact]
    public void Credentials_MissingFiles_SayWhy()
    {
        Assert.Null(NtsKeCredentials.Load(Path.Combine(_directory, "none.crt"), Path.Combine(_directory, "none.key"), out string? error));
        Assert.Contains("none.crt", error, StringComparison.Ordinal);
    }
}

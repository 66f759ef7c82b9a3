// Our NTS client pieces against chrony 4.3's NTS server, on loopback and without CAP_SYS_TIME: a CA and a
// server certificate (IP 127.0.0.35) are made here; chronyd serves NTS-KE on 4460 and NTS-protected NTP on
// 123 from its local clock (`allow 127.0.0.0/8`: without an allow line chronyd closes NTS-KE connections). Our key exchange (TLS 1.3 with ALPN ntske/1 through BouncyCastle, the chain
// checked with X509Chain against our CA) must get AEAD 15 and eight cookies; an NTP request with a cookie,
// sealed with the exported C2S key, must get an answer that opens with the S2C key, echoes our transmit
// timestamp and carries a new cookie: the exported keys are the ones chronyd derived. A CA chronyd's
// certificate does not chain to is refused before any record is sent. The other way round, chronyd as an
// NTS client (`server … nts`, `ntstrustedcerts` our CA) gets its cookies from our key exchange server:
// chronyc authdata shows NTS with AEAD 15 and our 104-byte cookies.
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Stratum.Core.Nts;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Interop.Tests.Harness;
using Stratum.Platform.Nts;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public sealed class OurNtsClientTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-interop-nts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    // A server certificate for 127.0.0.35 signed by the CA; the key and certificate written as PEM.
    private (string Certificate, string Key) CreateServerCertificate(X509Certificate2 ca) => CreateServerCertificate(ca, InteropAddresses.ChronydNts);

    private (string Certificate, string Key) CreateServerCertificate(X509Certificate2 ca, IPAddress address)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Stratum NTS interop server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
        string certificatePath = Path.Combine(_directory, $"server-{address}.crt");
        string keyPath = Path.Combine(_directory, $"server-{address}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certificatePath, keyPath);
    }

    private async Task<ManagedProcess> StartChronydAsync(string certificate, string key, CancellationToken cancellationToken)
    {
        InteropEnvironment.RequirePortFree(InteropAddresses.ChronydNts);
        string config = Path.Combine(_directory, "chrony.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"bindaddress {InteropAddresses.ChronydNts}",
            "port 123",
            "ntsport 4460",
            $"ntsserverkey {key}",
            $"ntsservercert {certificate}",
            "local stratum 2",
            "allow 127.0.0.0/8",
            $"bindcmdaddress {Path.Combine(_directory, "chronyd.sock")}",
            $"pidfile {Path.Combine(_directory, "chronyd.pid")}") + "\n", cancellationToken);
        ManagedProcess chronyd = ManagedProcess.Start(InteropEnvironment.Chronyd(), ["-x", "-d", "-u", "root", "-f", config], DaemonLauncher.DaemonHardTimeout, _directory);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(InteropAddresses.ChronydNts, NtsKeClient.DefaultPort, cancellationToken);
                return chronyd;
            }
            catch (SocketException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }

        Assert.Fail($"chronyd's NTS-KE port did not open:\n{chronyd.StandardError}");
        return chronyd;
    }

    [Fact]
    public async Task KeyExchangeWithChronyd_ThenAnNtsProtectedTimeQuery()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using X509Certificate2 ca = CreateCa("Stratum NTS interop CA");
        (string certificate, string key) = CreateServerCertificate(ca);
        await using ManagedProcess chronyd = await StartChronydAsync(certificate, key, cancellationToken);

        string host = InteropAddresses.ChronydNts.ToString();
        NtsKeResult result;
        try
        {
            result = NtsKeClient.Exchange(host, InteropAddresses.ChronydNts, NtsKeClient.DefaultPort, [ca], verifyCertificate: true,
                [NtsKeMessages.AesSivCmac256], TimeSpan.FromSeconds(5));
        }
        catch (NtsKeException e)
        {
            Assert.Fail($"{e.Message}\nchronyd:\n{chronyd.StandardError}");
            throw;
        }

        Assert.Equal(NtsKeMessages.AesSivCmac256, result.Keys.Aead);
        Assert.Equal(8, result.Cookies.Count);
        Assert.Equal(32, result.Keys.ClientToServer.Length);
        Assert.Equal((ushort)123, result.NtpPort);

        // An NTS-protected client request with the first cookie.
        byte[] uniqueId = RandomNumberGenerator.GetBytes(NtsExtensionFields.UniqueIdentifierLength);
        var packet = new byte[1024];
        var transmit = new NtpTimestamp(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));
        new NtpHeader(LeapIndicator.Unsynchronized, 4, NtpMode.Client, 0, 6, 0, NtpShort.Zero, NtpShort.Zero, ReferenceId.None,
            NtpTimestamp.Zero, NtpTimestamp.Zero, NtpTimestamp.Zero, transmit).Write(packet);
        int length;
        using (var c2s = new AesSiv(result.Keys.ClientToServer))
        {
            length = NtsExtensionFields.WriteRequest(packet, uniqueId, result.Cookies[0], 0, c2s, RandomNumberGenerator.GetBytes(16));
        }

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new IPEndPoint(InteropAddresses.ChronydNts, result.NtpPort);
        byte[]? answer = null;
        for (int attempt = 0; attempt < 5 && answer is null; attempt++)
        {
            await udp.SendAsync(packet.AsMemory(0, length), server, cancellationToken);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                answer = (await udp.ReceiveAsync(wait.Token)).Buffer;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Lost or not ready yet: send again.
            }
        }

        Assert.True(answer is not null, $"no answer from chronyd\n{chronyd.StandardError}");
        NtpHeader header = NtpHeader.Read(answer);
        Assert.Equal(NtpMode.Server, header.Mode);
        Assert.Equal(transmit, header.OriginTime);
        Assert.NotEqual(0, header.Stratum); // not a NAK
        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryRead(answer, isRequest: false, out NtsFields fields));
        Assert.True(fields.UniqueIdentifier.SequenceEqual(uniqueId));
        using var s2c = new AesSiv(result.Keys.ServerToClient);
        var plaintext = new byte[answer.Length];
        Assert.Equal(NtsPacketFailure.None, NtsExtensionFields.TryOpen(answer, fields, s2c, plaintext, out int plaintextLength));
        Assert.NotEmpty(NtsExtensionFields.ReadCookieFields(plaintext.AsSpan(0, plaintextLength)));
    }

    [Fact]
    public async Task ChronydClient_GetsCookiesFromOurKeyExchangeServer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using X509Certificate2 ca = CreateCa("Stratum NTS interop CA");
        (string certificate, string key) = CreateServerCertificate(ca, InteropAddresses.OurNtsKeServer);
        NtsKeCredentials credentials = NtsKeCredentials.Load(certificate, key, out string? error) ?? throw new InvalidOperationException(error);
        using NtsCookieKey cookieKey = NtsCookieKey.Create(1);
        using var server = new NtsKeServer(new IPEndPoint(InteropAddresses.OurNtsKeServer, NtsKeClient.DefaultPort), credentials, () => cookieKey,
            TimeSpan.FromSeconds(5));
        string caFile = Path.Combine(_directory, "ca.crt");
        await File.WriteAllTextAsync(caFile, ca.ExportCertificatePem() + "\n", cancellationToken);
        string socket = Path.Combine(_directory, "chronyd-client.sock");
        string config = Path.Combine(_directory, "chrony-client.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"server {InteropAddresses.OurNtsKeServer} iburst nts",
            $"ntstrustedcerts {caFile}",
            "nosystemcert",
            "port 0",
            $"bindcmdaddress {socket}",
            $"pidfile {Path.Combine(_directory, "chronyd-client.pid")}") + "\n", cancellationToken);
        await using ManagedProcess chronyd = ManagedProcess.Start(InteropEnvironment.Chronyd(), ["-x", "-d", "-u", "root", "-f", config], DaemonLauncher.DaemonHardTimeout, _directory);
        ProcessResult? data = null;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(1000, cancellationToken);
            data = await ManagedProcess.RunAsync(InteropEnvironment.Chronyc(), ["-h", socket, "-n", "authdata"], TimeSpan.FromSeconds(5), cancellationToken);
            if (server.Exchanges > 0 && data.StandardOutput.Contains(" 104", StringComparison.Ordinal))
            {
                break;
            }
        }

        string context = $"{data?.Describe()}\nserver: {server.Exchanges} exchanges, {server.Failures} failures, last failure {server.LastFailure}\nchronyd:\n{chronyd.StandardError}";
        Assert.True(server.Exchanges >= 1, context);
        // chronyc authdata: "Name/IP address  Mode KeyID Type KLen Last Atmp  NAK Cook CLen": NTS, AEAD 15 (256-bit keys), our 104-byte cookies.
        string row = data!.StandardOutput.Split('\n').First(line => line.StartsWith(InteropAddresses.OurNtsKeServer.ToString(), StringComparison.Ordinal));
        string[] columns = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(columns[1] == "NTS" && columns[3] == "15" && columns[4] == "256" && columns[^1] == "104", context);
    }

    [Fact]
    public async Task KeyExchange_WithACaTheServerDoesNotChainTo_IsRefused()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using X509Certificate2 ca = CreateCa("Stratum NTS interop CA");
        using X509Certificate2 stranger = CreateCa("Some other CA");
        (string certificate, string key) = CreateServerCertificate(ca);
        await using ManagedProcess chronyd = await StartChronydAsync(certificate, key, cancellationToken);

        NtsKeException refused = Assert.Throws<NtsKeException>(() => NtsKeClient.Exchange(InteropAddresses.ChronydNts.ToString(), InteropAddresses.ChronydNts,
            NtsKeClient.DefaultPort, [stranger], verifyCertificate: true, [NtsKeMessages.AesSivCmac256], TimeSpan.FromSeconds(5)));
        Assert.Contains("not trusted", refused.Message, StringComparison.Ordinal);
    }
}

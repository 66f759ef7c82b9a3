// NtsKeClient: the client side of NTS Key Establishment (RFC 8915 §4) over TLS 1.3 with ALPN "ntske/1", on
// BouncyCastle's TLS (.NET's SslStream has no keying-material exporter). It connects to the key
// establishment server (port 4460 by default), checks the server's certificate with .NET's X509Chain
// against the system store or the given CA certificates and the host name against the certificate
// (unless told not to: NTPsec's `noval`), exports the C2S and S2C keys for every AEAD it offers while the
// handshake's exporter secret still exists (BouncyCastle wipes it afterwards), sends the request and
// reads the response (NtsKeMessages). The result is the keys of the AEAD the server chose, its cookies,
// and the NTP server and port to use. Blocking with a timeout: the daemon runs it off the time loop.
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Stratum.Core.Nts;

namespace Stratum.Platform.Nts;

/// <summary>What a key exchange gave: the session keys, the cookies, and where to send NTP.</summary>
public sealed record NtsKeResult(NtsSessionKeys Keys, IReadOnlyList<byte[]> Cookies, string NtpServer, ushort NtpPort);

/// <summary>A key exchange that failed, with the step and reason (logged as is).</summary>
public sealed class NtsKeException(string message, NtsKeFailure failure = NtsKeFailure.None, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The protocol failure, or None for a network, TLS or certificate failure.</summary>
    public NtsKeFailure Failure { get; } = failure;
}

/// <summary>Runs one NTS key exchange as a client.</summary>
public static class NtsKeClient
{
    /// <summary>The NTS-KE port (RFC 8915 §4).</summary>
    public const int DefaultPort = 4460;

    /// <summary>The ALPN protocol id of NTS-KE.</summary>
    public const string AlpnProtocol = "ntske/1";

    /// <summary>The TLS exporter label (RFC 8915 §5.1).</summary>
    public const string ExporterLabel = "EXPORTER-network-time-security";

    /// <summary>The NTP port when the server names none.</summary>
    public const ushort DefaultNtpPort = 123;

    /// <summary>Connects to <paramref name="host"/> (at <paramref name="address"/> when given, else resolved) and runs
    /// the exchange, offering <paramref name="aeads"/>.</summary>
    /// <param name="trusted">CA certificates to trust instead of the system store, or null.</param>
    /// <param name="verifyCertificate">False (NTPsec's `noval`): any certificate is accepted.</param>
    /// <exception cref="NtsKeException">The exchange failed; the message says where and why.</exception>
    public static NtsKeResult Exchange(string host, IPAddress? address, int port, X509Certificate2Collection? trusted, bool verifyCertificate,
        IReadOnlyList<ushort> aeads, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(aeads);
        using var tcp = new TcpClient(address?.AddressFamily ?? AddressFamily.InterNetwork);
        try
        {
            Task connect = address is null ? tcp.ConnectAsync(host, port) : tcp.ConnectAsync(address, port);
            if (!connect.Wait(timeout))
            {
                throw new NtsKeException($"{host}:{port}: no connection within {timeout.TotalSeconds:0} s");
            }
        }
        catch (AggregateException e) when (e.InnerException is SocketException socket)
        {
            throw new NtsKeException($"{host}:{port}: {socket.Message}", inner: socket);
        }

        using NetworkStream stream = tcp.GetStream();
        stream.ReadTimeout = stream.WriteTimeout = (int)timeout.TotalMilliseconds;
        var client = new KeyExchangeTlsClient(host, trusted, verifyCertificate, aeads);
        var protocol = new TlsClientProtocol(stream);
        try
        {
            protocol.Connect(client);
        }
        catch (Exception e) when (e is TlsException or IOException)
        {
            throw new NtsKeException($"{host}:{port}: TLS handshake failed: {client.CertificateError ?? e.Message}", inner: e);
        }

        try
        {
            return Talk(protocol, client, host, aeads);
        }
        catch (IOException e)
        {
            throw new NtsKeException($"{host}:{port}: {e.Message}", inner: e);
        }
        finally
        {
            protocol.Close();
        }
    }

    private static NtsKeResult Talk(TlsClientProtocol protocol, KeyExchangeTlsClient client, string host, IReadOnlyList<ushort> aeads)
    {
        if (client.ApplicationProtocol != AlpnProtocol)
        {
            throw new NtsKeException($"{host}: the server did not agree to ALPN \"{AlpnProtocol}\"");
        }

        var request = new byte[256];
        int length = NtsKeMessages.WriteRequest(new NtsKeRequest([NtsKeMessages.NtpV4], [.. aeads]), request);
        protocol.Stream.Write(request, 0, length);
        protocol.Stream.Flush();

        var response = new byte[NtsKeMessages.MaxMessageLength];
        int received = 0;
        while (true)
        {
            int read = protocol.Stream.Read(response, received, response.Length - received);
            if (read <= 0)
            {
                throw new NtsKeException($"{host}: the connection closed before the response ended", NtsKeFailure.Incomplete);
            }

            received += read;
            NtsKeFailure failure = NtsKeMessages.TryReadResponse(response.AsSpan(0, received), aeads, out NtsKeResponse? answer, out ushort code);
            if (failure == NtsKeFailure.Incomplete && received < response.Length)
            {
                continue;
            }

            if (failure != NtsKeFailure.None)
            {
                throw new NtsKeException($"{host}: {Describe(failure, code)}", failure);
            }

            (byte[] c2s, byte[] s2c) = client.Keys[answer!.Aead];
            return new NtsKeResult(new NtsSessionKeys(answer.Aead, c2s, s2c), answer.Cookies, answer.Server ?? host, answer.Port ?? DefaultNtpPort);
        }
    }

    private static string Describe(NtsKeFailure failure, ushort code) => failure switch
    {
        NtsKeFailure.ServerError => $"the server answered with error {code} ({(NtsKeErrorCode)code})",
        NtsKeFailure.ServerWarning => $"the server answered with warning {code}",
        NtsKeFailure.UnrecognizedCriticalRecord => $"unrecognized critical record type {code}",
        _ => $"unusable response: {failure}",
    };

    /// <summary>The RFC 8915 §5.1 exporter context: NTPv4 (0), the AEAD, 0 for C2S or 1 for S2C.</summary>
    public static byte[] ExporterContext(ushort aead, bool serverToClient) => [0, 0, (byte)(aead >> 8), (byte)aead, serverToClient ? (byte)1 : (byte)0];

    private sealed class KeyExchangeTlsClient(string host, X509Certificate2Collection? trusted, bool verify, IReadOnlyList<ushort> aeads)
        : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        public Dictionary<ushort, (byte[] ClientToServer, byte[] ServerToClient)> Keys { get; } = [];

        public string? CertificateError { get; set; }

        /// <summary>The ALPN protocol the handshake agreed on, or null.</summary>
        public string? ApplicationProtocol { get; private set; }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.Only();

        protected override IList<ProtocolName> GetProtocolNames() => [ProtocolName.AsUtf8Encoding(AlpnProtocol)];

        protected override IList<ServerName>? GetSniServerNames() =>
            IPAddress.TryParse(host, out _) ? null : [new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(host))];

        public override TlsAuthentication GetAuthentication() => new ServerCertificateCheck(this, host, trusted, verify);

        // The exporter secret exists only until the handshake ends: keys for every AEAD offered, now.
        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            ApplicationProtocol = m_context.SecurityParameters.ApplicationProtocol?.GetUtf8Decoding();
            foreach (ushort aead in aeads)
            {
                int length = NtsSessionKeys.KeyLength(aead);
                if (length > 0)
                {
                    Keys[aead] = (m_context.ExportKeyingMaterial(ExporterLabel, ExporterContext(aead, false), length),
                        m_context.ExportKeyingMaterial(ExporterLabel, ExporterContext(aead, true), length));
                }
            }
        }
    }

    private sealed class ServerCertificateCheck(KeyExchangeTlsClient client, string host, X509Certificate2Collection? trusted, bool verify) : TlsAuthentication
    {
        public TlsCredentials? GetClientCredentials(Org.BouncyCastle.Tls.CertificateRequest certificateRequest) => null;

        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            if (!verify)
            {
                return;
            }

            Certificate chain = serverCertificate.Certificate;
            if (chain.IsEmpty)
            {
                Refuse("the server sent no certificate");
            }

            using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(chain.GetCertificateAt(0).GetEncoded());
            using var validation = new X509Chain();
            validation.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (trusted is not null)
            {
                validation.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                validation.ChainPolicy.CustomTrustStore.AddRange(trusted);
            }

            for (int i = 1; i < chain.Length; i++)
            {
                validation.ChainPolicy.ExtraStore.Add(X509CertificateLoader.LoadCertificate(chain.GetCertificateAt(i).GetEncoded()));
            }

            if (!validation.Build(leaf))
            {
                string reasons = string.Join("; ", validation.ChainStatus.Select(static s => s.StatusInformation.Trim()).Distinct());
                Refuse($"certificate of {leaf.Subject} not trusted: {reasons}");
            }

            if (!leaf.MatchesHostname(host, allowWildcards: true, allowCommonName: false))
            {
                Refuse($"certificate of {leaf.Subject} does not name {host}");
            }
        }

        private void Refuse(string why)
        {
            client.CertificateError = why;
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }
}

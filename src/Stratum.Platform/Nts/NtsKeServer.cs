// NtsKeServer: the server side of NTS Key Establishment (RFC 8915 §4) over TLS 1.3 with ALPN "ntske/1", on
// BouncyCastle's TLS. It runs on a thread of its own, off the time-serving loop, so a handshake never
// delays a time reply: it accepts a connection, completes the handshake with the configured certificate
// (an ECDSA P-256 or RSA key, PEM), exports the C2S and S2C keys of every AEAD it supports before the
// exporter secret is wiped, reads the request (NtsKeMessages), picks the first AEAD of the client's list
// it supports, seals the keys into eight cookies under the current master key (NtsCookieKey) and answers,
// naming the NTP server and port when configured. A request it cannot use is answered with the RFC's
// error record (unrecognized critical record, bad request). Connections are served one at a time, each
// within a deadline; counters say how many exchanges succeeded and failed.
using System.Net;
using System.Net.Sockets;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Stratum.Core.Nts;

namespace Stratum.Platform.Nts;

/// <summary>The certificate chain and private key of an NTS-KE server, loaded from PEM files.</summary>
public sealed class NtsKeCredentials
{
    private NtsKeCredentials(byte[][] chain, AsymmetricKeyParameter key)
    {
        Chain = chain;
        Key = key;
    }

    /// <summary>DER certificates, the server's first.</summary>
    public IReadOnlyList<byte[]> Chain { get; }

    internal AsymmetricKeyParameter Key { get; }

    /// <summary>Reads the certificate chain (PEM, the server's certificate first) and private key (PEM: PKCS#8, EC or
    /// RSA); null with the reason when a file cannot be read or holds no certificate or key.</summary>
    public static NtsKeCredentials? Load(string certificateFile, string keyFile, out string? error)
    {
        try
        {
            var chain = new List<byte[]>();
            using (var reader = new PemReader(new StreamReader(certificateFile)))
            {
                while (reader.ReadObject() is { } item)
                {
                    if (item is Org.BouncyCastle.X509.X509Certificate certificate)
                    {
                        chain.Add(certificate.GetEncoded());
                    }
                }
            }

            object? keyObject;
            using (var reader = new PemReader(new StreamReader(keyFile)))
            {
                keyObject = reader.ReadObject();
            }

            AsymmetricKeyParameter? key = keyObject switch
            {
                AsymmetricCipherKeyPair pair => pair.Private,
                AsymmetricKeyParameter { IsPrivate: true } parameter => parameter,
                _ => null,
            };
            error = chain.Count == 0 ? $"{certificateFile}: no certificate" : key is null ? $"{keyFile}: no private key" : null;
            return error is null ? new NtsKeCredentials([.. chain], key!) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PemException or InvalidCastException or ArgumentException)
        {
            error = e.Message;
            return null;
        }
    }
}

/// <summary>Serves NTS key exchanges on one TCP endpoint, on its own thread.</summary>
public sealed class NtsKeServer : IDisposable
{
    /// <summary>Cookies in each response (RFC 8915 §4.1.6 suggests eight).</summary>
    public const int CookiesPerResponse = 8;

    /// <summary>The AEADs this server supports, in its order of preference.</summary>
    public static readonly ushort[] SupportedAeads = [NtsKeMessages.AesSivCmac256, NtsKeMessages.AesSivCmac512, NtsKeMessages.AesSivCmac384];

    private readonly TcpListener _listener;
    private readonly NtsKeCredentials _credentials;
    private readonly Func<NtsCookieKey> _currentKey;
    private readonly TimeSpan _deadline;
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <param name="listen">The endpoint to accept on (port 4460 by default).</param>
    /// <param name="credentials">The server's certificate and key.</param>
    /// <param name="currentKey">The cookie master key to seal with now (rotated by the caller).</param>
    /// <param name="deadline">The most one exchange may take.</param>
    public NtsKeServer(IPEndPoint listen, NtsKeCredentials credentials, Func<NtsCookieKey> currentKey, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(listen);
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _currentKey = currentKey ?? throw new ArgumentNullException(nameof(currentKey));
        _deadline = deadline;
        _listener = new TcpListener(listen);
        _listener.Start();
        LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _thread = new Thread(Serve) { IsBackground = true, Name = "nts-ke" };
        _thread.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The NTP server and port to name in responses (null: the client uses this server's address and 123).</summary>
    public string? NtpServer { get; init; }

    public ushort? NtpPort { get; init; }

    /// <summary>Exchanges that gave cookies, and those that failed (TLS, a bad request, a timeout).</summary>
    public long Exchanges => Interlocked.Read(ref _exchanges);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Why the last exchange failed, or null.</summary>
    public string? LastFailure { get; private set; }

    private long _exchanges;
    private long _failures;

    public void Dispose()
    {
        _stopping = true;
        _listener.Stop();
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Serve()
    {
        while (!_stopping)
        {
            TcpClient connection;
            try
            {
                connection = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stopping)
                {
                    return;
                }

                continue;
            }

            using (connection)
            {
                try
                {
                    Exchange(connection);
                    Interlocked.Increment(ref _exchanges);
                }
                catch (Exception e) when (e is IOException or TlsException or SocketException or ObjectDisposedException or NtsKeException)
                {
                    LastFailure = e.Message;
                    Interlocked.Increment(ref _failures);
                }
            }
        }
    }

    private void Exchange(TcpClient connection)
    {
        NetworkStream stream = connection.GetStream();
        stream.ReadTimeout = stream.WriteTimeout = (int)_deadline.TotalMilliseconds;
        var tls = new KeyExchangeTlsServer(_credentials);
        var protocol = new TlsServerProtocol(stream);
        try
        {
            protocol.Accept(tls);
            var request = new byte[NtsKeMessages.MaxMessageLength];
            int received = 0;
            NtsKeFailure failure;
            NtsKeRequest? parsed;
            ushort unknown;
            do
            {
                int read = protocol.Stream.Read(request, received, request.Length - received);
                if (read <= 0)
                {
                    throw new NtsKeException("the client closed before its request ended", NtsKeFailure.Incomplete);
                }

                received += read;
                failure = NtsKeMessages.TryReadRequest(request.AsSpan(0, received), out parsed, out unknown);
            }
            while (failure == NtsKeFailure.Incomplete && received < request.Length);

            var response = new byte[4096];
            int length;
            // The client's first AEAD that this server supports.
            ushort? aead = null;
            foreach (ushort offered in parsed?.Aeads ?? [])
            {
                if (Array.IndexOf(SupportedAeads, offered) >= 0)
                {
                    aead = offered;
                    break;
                }
            }

            if (failure != NtsKeFailure.None || !parsed!.NextProtocols.Contains(NtsKeMessages.NtpV4) || aead is null)
            {
                length = NtsKeMessages.WriteError(failure == NtsKeFailure.UnrecognizedCriticalRecord ? NtsKeErrorCode.UnrecognizedCriticalRecord : NtsKeErrorCode.BadRequest,
                    response);
                protocol.Stream.Write(response, 0, length);
                throw new NtsKeException($"request refused: {(failure != NtsKeFailure.None ? failure : aead is null ? "no supported AEAD" : "not NTPv4")}"
                    + (failure == NtsKeFailure.UnrecognizedCriticalRecord ? $" (record type {unknown})" : string.Empty), failure);
            }

            (byte[] c2s, byte[] s2c) = tls.Keys[aead.Value];
            var keys = new NtsSessionKeys(aead.Value, c2s, s2c);
            NtsCookieKey cookieKey = _currentKey();
            var cookies = new byte[CookiesPerResponse][];
            for (int i = 0; i < cookies.Length; i++)
            {
                cookies[i] = cookieKey.Seal(keys);
            }

            length = NtsKeMessages.WriteResponse(new NtsKeResponse(aead.Value, cookies) { Server = NtpServer, Port = NtpPort }, response);
            protocol.Stream.Write(response, 0, length);
            protocol.Stream.Flush();
        }
        finally
        {
            protocol.Close();
        }
    }

    private sealed class KeyExchangeTlsServer(NtsKeCredentials credentials) : DefaultTlsServer(new BcTlsCrypto(new SecureRandom()))
    {
        public Dictionary<ushort, (byte[] ClientToServer, byte[] ServerToClient)> Keys { get; } = [];

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.Only();

        protected override IList<ProtocolName> GetProtocolNames() => [ProtocolName.AsUtf8Encoding(NtsKeClient.AlpnProtocol)];

        public override TlsCredentials GetCredentials()
        {
            var crypto = (BcTlsCrypto)Crypto;
            CertificateEntry[] entries = [.. credentials.Chain.Select(der => new CertificateEntry(new BcTlsCertificate(crypto, der), null))];
            var certificate = new Certificate([], entries);
            SignatureAndHashAlgorithm algorithm = credentials.Key is Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters
                ? SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa)
                : SignatureAndHashAlgorithm.rsa_pss_rsae_sha256;
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, credentials.Key, certificate, algorithm);
        }

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            if (m_context.SecurityParameters.ApplicationProtocol?.GetUtf8Decoding() != NtsKeClient.AlpnProtocol)
            {
                throw new TlsFatalAlert(AlertDescription.no_application_protocol);
            }

            foreach (ushort aead in SupportedAeads)
            {
                int length = NtsSessionKeys.KeyLength(aead);
                Keys[aead] = (m_context.ExportKeyingMaterial(NtsKeClient.ExporterLabel, NtsKeClient.ExporterContext(aead, false), length),
                    m_context.ExportKeyingMaterial(NtsKeClient.ExporterLabel, NtsKeClient.ExporterContext(aead, true), length));
            }
        }
    }
}

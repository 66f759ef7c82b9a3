// NtsCheck: what `ntpd --check` verifies of the NTS server settings before a daemon would use them: with
// `nts enable`, a key and a certificate are named; each file can be read and holds what it should (a PEM
// certificate chain, a PEM private key); the key belongs to the certificate; the certificate is valid now.
// Each problem is an error at the config line that named the file.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Stratum.Core.Config;
using Stratum.Platform.Nts;

namespace Stratum.Tools.Ntpd;

internal static class NtsCheck
{
    /// <summary>The errors, each "FILE:LINE: error: TEXT" (or "CONFIG: error: TEXT" for a missing setting).</summary>
    public static IReadOnlyList<string> Errors(NtpConfig config, string configName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<string>();
        NtsOptions nts = config.Nts;
        if (!nts.Enabled)
        {
            return errors;
        }

        if (nts.KeyFile is null || nts.CertificateFile is null)
        {
            errors.Add($"{configName}: error: nts enable needs 'nts key FILE' and 'nts cert FILE'");
            return errors;
        }

        if (NtsKeCredentials.Load(nts.CertificateFile, nts.KeyFile, out string? error) is null)
        {
            string where = error is not null && error.StartsWith(nts.KeyFile, StringComparison.Ordinal) ? nts.KeyLocation! : nts.CertificateLocation!;
            errors.Add($"{where}: error: NTS credentials: {error}");
            return errors;
        }

        try
        {
            using X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(nts.CertificateFile, nts.KeyFile);
            DateTime now = DateTime.Now;
            if (now < certificate.NotBefore || now > certificate.NotAfter)
            {
                errors.Add($"{nts.CertificateLocation}: error: nts cert {nts.CertificateFile}: not valid now (from {certificate.NotBefore:u} to {certificate.NotAfter:u})");
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            errors.Add($"{nts.KeyLocation}: error: nts key {nts.KeyFile} does not go with nts cert {nts.CertificateFile}: {e.Message}");
        }

        return errors;
    }
}

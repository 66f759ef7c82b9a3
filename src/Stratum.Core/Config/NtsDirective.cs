// NtsDirective: "nts [enable|disable] [key FILE] [cert FILE] [ca FILE|DIR] [cookie FILE] [aead NAME...]"
// (NTPsec's ntp.conf; the words may share a line or come one per line, the last one winning). AEAD names
// are AES_SIV_CMAC_256, AES_SIV_CMAC_384 and AES_SIV_CMAC_512 (RFC 5297 as RFC 8915 uses it). NTPsec's
// TLS tuning words (mintls, maxtls, tlsciphers, tlsciphersuites, tlsecdhcurves) are warned: Stratum speaks
// TLS 1.3 only, with its library's ciphers. The names map to AEAD numbers through NtsAeadNames.
namespace Stratum.Core.Config;

internal static class NtsDirective
{
    public static void Parse(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.RequireOptions())
        {
            return;
        }

        while (line.TryTake(out ConfigToken option))
        {
            NtsOptions nts = config.Nts;
            switch (option.Text)
            {
                case "enable":
                    config.Nts = nts with { Enabled = true };
                    break;
                case "disable":
                    config.Nts = nts with { Enabled = false };
                    break;
                case "key" when line.TryTakeArgument("a file name", out ConfigToken key):
                    config.Nts = nts with { KeyFile = key.Text, KeyLocation = line.PositionOf(key).ToString() };
                    break;
                case "cert" when line.TryTakeArgument("a file name", out ConfigToken certificate):
                    config.Nts = nts with { CertificateFile = certificate.Text, CertificateLocation = line.PositionOf(certificate).ToString() };
                    break;
                case "ca" when line.TryTakeArgument("a file or directory", out ConfigToken ca):
                    config.Nts = nts with { CaPath = ca.Text };
                    break;
                case "cookie" when line.TryTakeArgument("a file name", out ConfigToken cookie):
                    config.Nts = nts with { CookieFile = cookie.Text };
                    break;
                case "aead":
                    config.Nts = nts with { Aeads = TakeAeads(line, option) };
                    break;
                case "mintls" or "maxtls" or "tlsciphers" or "tlsciphersuites" or "tlsecdhcurves":
                    line.TryTake(out _);
                    line.Warning(option, $"nts {option.Text}: not used; the key exchange speaks TLS 1.3 only");
                    break;
                case "key" or "cert" or "ca" or "cookie":
                    break;
                default:
                    line.ReportUnknownOption(option);
                    break;
            }
        }
    }

    // One or more AEAD names, up to the next word that is not one.
    private static List<ushort> TakeAeads(DirectiveLine line, ConfigToken option)
    {
        var aeads = new List<ushort>();
        bool named = false;
        while (line.TryTake(out ConfigToken name))
        {
            named = true;
            if (NtsAeadNames.TryParse(name.Text, out ushort aead))
            {
                aeads.Add(aead);
                continue;
            }

            line.Error(name, $"unknown NTS AEAD {DiagnosticText.Quote(name.Text)} (AES_SIV_CMAC_256, AES_SIV_CMAC_384 or AES_SIV_CMAC_512)");
        }

        if (!named)
        {
            line.Error(option, "'aead' needs an AEAD name");
        }

        return aeads;
    }
}

/// <summary>NTS AEAD names as ntp.conf writes them, and their numbers.</summary>
public static class NtsAeadNames
{
    public static bool TryParse(string name, out ushort aead)
    {
        aead = name.ToUpperInvariant() switch
        {
            "AES_SIV_CMAC_256" => 15,
            "AES_SIV_CMAC_384" => 16,
            "AES_SIV_CMAC_512" => 17,
            _ => 0,
        };
        return aead != 0;
    }
}

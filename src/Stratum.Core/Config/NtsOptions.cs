// NtsOptions: the server side of Network Time Security in ntp.conf, in NTPsec's words (ntp.conf(5) of
// NTPsec: "nts enable", "nts key FILE", "nts cert FILE", "nts ca FILE|DIR", "nts cookie FILE", "nts aead
// NAME..."), with where each file was named so a check can report file:line. A client's NTS is an
// association option (`server HOST nts [ca FILE] [noval] [aead NAME]`, AssociationConfig).
namespace Stratum.Core.Config;

/// <summary>The `nts` directive's settings.</summary>
public sealed record NtsOptions
{
    public static NtsOptions Default { get; } = new();

    /// <summary>`nts enable`: serve NTS key establishment (port 4460) and NTS-protected time.</summary>
    public bool Enabled { get; init; }

    /// <summary>`nts key FILE`: the server's private key (PEM), and where it was named.</summary>
    public string? KeyFile { get; init; }

    /// <summary>"FILE:LINE" of the key file's name in the config.</summary>
    public string? KeyLocation { get; init; }

    /// <summary>`nts cert FILE`: the server's certificate chain (PEM, its own first), and where it was named.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>"FILE:LINE" of the certificate file's name in the config.</summary>
    public string? CertificateLocation { get; init; }

    /// <summary>`nts ca FILE|DIR`: the CA certificates clients trust instead of the system's.</summary>
    public string? CaPath { get; init; }

    /// <summary>`nts cookie FILE`: where the cookie master keys are kept across restarts.</summary>
    public string? CookieFile { get; init; }

    /// <summary>`nts aead NAME...`: the AEADs the server accepts, in order of preference (RFC 5116 numbers); empty: all.</summary>
    public IReadOnlyList<ushort> Aeads { get; init; } = [];
}

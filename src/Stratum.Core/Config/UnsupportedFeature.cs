// UnsupportedFeature: the wording of warnings for ntpd features Stratum recognizes but does not
// implement (ARCHITECTURE.md §7: never silently ignored), and the list of such directives.
// Autokey (RFC 5906) is not supported at all and says so; the rest are "not implemented yet".
namespace Stratum.Core.Config;

/// <summary>Warnings for recognized but unimplemented ntpd features.</summary>
internal static class UnsupportedFeature
{
    /// <summary>"directive 'broadcast' is not implemented yet and is ignored".</summary>
    public static string NotImplemented(string what, string word) =>
        $"{what} {DiagnosticText.Quote(word)} is not implemented yet and is ignored";

    /// <summary>"Autokey is not supported; directive 'crypto' is ignored".</summary>
    public static string Autokey(string what, string word) =>
        $"Autokey is not supported; {what} {DiagnosticText.Quote(word)} is ignored";

    /// <summary>ntpd 4.2.8 directives that are not implemented yet; the line is skipped with a warning.</summary>
    public static void WarnNotImplemented(DirectiveLine line, ConfigBuilder config)
    {
        line.Warning(line.Directive, NotImplemented("directive", line.Name));
        line.SkipRest();
    }

    /// <summary>Autokey directives (crypto, autokey, revoke, ident, keysdir, automax): skipped, warned.</summary>
    public static void WarnAutokey(DirectiveLine line, ConfigBuilder config)
    {
        line.Warning(line.Directive, Autokey("directive", line.Name));
        line.SkipRest();
    }
}

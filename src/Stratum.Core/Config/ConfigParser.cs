// ConfigParser: the entry point for ntp.conf in ntpd 4.2.8's classic syntax (ntp.conf(5) and the
// 4.2.8 HTML pages: confopt, accopt, authopt, monopt, miscopt, refclock). It never throws on
// input: every problem becomes a diagnostic ("file:line:column: error: ...") and parsing goes on
// with the next line, so one run reports all of them (ARCHITECTURE.md §7). Known ntpd directives
// that Stratum does not implement are warnings naming them. No file system access: includefile
// goes through IConfigIncludeSource.
namespace Stratum.Core.Config;

/// <summary>Parses ntp.conf text into an <see cref="NtpConfig"/> and diagnostics.</summary>
public static class ConfigParser
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The config file's content.</param>
    /// <param name="fileName">Name used in diagnostics, and the base for relative includefile paths.</param>
    /// <param name="includes">Reader for includefile; null makes includefile an error.</param>
    public static ConfigParseResult Parse(string text, string fileName, IConfigIncludeSource? includes = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var session = new ConfigParseSession(includes);
        session.ParseText(text, fileName);
        NtpConfig config = session.Config.Build(session.Diagnostics);
        return new ConfigParseResult(config, session.Diagnostics.Items);
    }
}

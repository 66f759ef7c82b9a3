// AccessTestConfig: builds access-control inputs from ntp.conf text through the real parser, so
// the tests read like the configuration an operator writes.
using System.Net;
using Stratum.Core.Config;
using Stratum.Engine.Access;

namespace Stratum.Engine.Tests.Access;

internal static class AccessTestConfig
{
    public static NtpConfig Parse(string text)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "test.conf");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Config;
    }

    public static RestrictionTable Table(string text, string[]? sources = null, string[]? interfaces = null) =>
        RestrictionTable.Compile(
            Parse(text).Restrictions,
            (sources ?? []).Select(s => ClientAddress.From(IPAddress.Parse(s))),
            (interfaces ?? []).Select(s => ClientAddress.From(IPAddress.Parse(s))));

    public static AccessSettings Settings(string text)
    {
        NtpConfig config = Parse(text);
        return AccessSettings.From(config.Restrictions, config.Discard, config.Mru, config.System.Monitoring);
    }

    public static ClientAddress Address(string address, int port = 40000) => ClientAddress.From(IPAddress.Parse(address), port);
}

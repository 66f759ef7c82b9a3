// CastDirectives: the receiving side of ntpd 4.2.8's broadcast and manycast modes (confopt.html,
// miscopt.html): "broadcastclient [novolley]" accepts broadcast servers heard on any interface;
// "multicastclient [GROUP ...]" joins multicast groups (224.0.1.1, the NTP group, when none is named)
// and accepts the broadcast servers heard there; "manycastserver GROUP ..." joins groups and answers
// the manycast clients that solicit there; "broadcastdelay SECONDS" gives the delay (round trip, half
// of it added to each broadcast's offset) instead of measuring it with a client/server volley.
using System.Net;

namespace Stratum.Core.Config;

internal static class CastDirectives
{
    /// <summary>The group `multicastclient` joins when none is named: NTP's IPv4 group (IANA).</summary>
    public static readonly IPAddress DefaultGroup = IPAddress.Parse("224.0.1.1");

    /// <summary>The largest `broadcastdelay` accepted, seconds (a broadcast on a LAN takes well under 1 ms).</summary>
    public const double MaxBroadcastDelay = 1.0;

    public static void BroadcastClient(DirectiveLine line, ConfigBuilder config)
    {
        config.System = config.System with { BroadcastClient = true };
        while (line.TryTake(out ConfigToken option))
        {
            if (option.Text == "novolley")
            {
                // ntpd 4.2.8 deprecated the keyword: without a broadcastdelay the volley still runs.
                line.Warning(option, "option 'novolley' is deprecated (as in ntpd 4.2.8); set 'broadcastdelay' to skip the volley");
            }
            else
            {
                line.ReportUnknownOption(option);
            }
        }
    }

    public static void MulticastClient(DirectiveLine line, ConfigBuilder config)
    {
        config.System = config.System with { BroadcastClient = true };
        if (!line.TryTake(out ConfigToken first))
        {
            if (!config.MulticastClientGroups.Contains(DefaultGroup))
            {
                config.MulticastClientGroups.Add(DefaultGroup);
            }

            return;
        }

        AddGroup(line, first, config.MulticastClientGroups);
        TakeGroups(line, config.MulticastClientGroups);
    }

    public static void ManycastServer(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.TryTakeArgument("a multicast group address", out ConfigToken first))
        {
            return;
        }

        AddGroup(line, first, config.ManycastServerGroups);
        TakeGroups(line, config.ManycastServerGroups);
    }

    public static void BroadcastDelay(DirectiveLine line, ConfigBuilder config)
    {
        if (line.TryTakeNumber(line.Directive, 0, MaxBroadcastDelay, out double seconds))
        {
            config.NoteSingleton(line);
            config.BroadcastDelay = seconds;
        }

        line.ExpectEnd();
    }

    private static void TakeGroups(DirectiveLine line, List<IPAddress> groups)
    {
        while (line.TryTake(out ConfigToken token))
        {
            AddGroup(line, token, groups);
        }
    }

    private static void AddGroup(DirectiveLine line, ConfigToken token, List<IPAddress> groups)
    {
        if (!AddressSyntax.TryParseLiteral(token.Text, out IPAddress? group) || !AddressSyntax.IsMulticast(group))
        {
            line.Error(token, $"{DiagnosticText.Quote(line.Name)} needs multicast group addresses (224.0.0.0/4 or ff00::/8), not {DiagnosticText.Quote(token.Text)}");
            return;
        }

        if (!groups.Contains(group))
        {
            groups.Add(group);
        }
    }
}

// DirectiveTable: every ntp.conf keyword ntpd 4.2.8 knows (ntp_parser.y, keyword-gen.c) mapped
// to its parser, so a known directive is never reported as unknown and an unimplemented one is
// never silently ignored. Keywords are case-sensitive, as in ntpd. includefile and end steer the
// reader itself and are handled by ConfigParseSession.
using System.Collections.Frozen;

namespace Stratum.Core.Config;

/// <summary>Directive keyword → parser.</summary>
internal static class DirectiveTable
{
    private static readonly FrozenDictionary<string, DirectiveHandler> s_handlers =
        Create().ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryGet(string keyword, out DirectiveHandler handler) =>
        s_handlers.TryGetValue(keyword, out handler!);

    private static Dictionary<string, DirectiveHandler> Create()
    {
        var handlers = new Dictionary<string, DirectiveHandler>(StringComparer.Ordinal)
        {
            ["server"] = AssociationDirectives.Server,
            ["pool"] = AssociationDirectives.Pool,
            ["peer"] = AssociationDirectives.Peer,
            ["broadcast"] = AssociationDirectives.Broadcast,
            ["manycastclient"] = AssociationDirectives.ManycastClient,
            ["broadcastclient"] = CastDirectives.BroadcastClient,
            ["multicastclient"] = CastDirectives.MulticastClient,
            ["manycastserver"] = CastDirectives.ManycastServer,
            ["broadcastdelay"] = CastDirectives.BroadcastDelay,
            ["nts"] = NtsDirective.Parse,
            ["fudge"] = FudgeDirective.Parse,
            ["restrict"] = RestrictDirective.Parse,
            ["interface"] = InterfaceDirective.Parse,
            ["nic"] = InterfaceDirective.Parse,
            ["enable"] = SystemOptionDirectives.Enable,
            ["disable"] = SystemOptionDirectives.Disable,
            ["tos"] = TosDirective.Parse,
            ["tinker"] = TinkerDirective.Parse,
            ["discard"] = RateLimitDirectives.Discard,
            ["mru"] = RateLimitDirectives.Mru,
            ["driftfile"] = FileDirectives.DriftFile,
            ["logfile"] = FileDirectives.LogFile,
            ["logconfig"] = FileDirectives.LogConfig,
            ["pidfile"] = FileDirectives.PidFile,
            ["statsdir"] = FileDirectives.StatsDirectory,
            ["leapfile"] = FileDirectives.LeapFile,
            ["statistics"] = StatisticsDirectives.Statistics,
            ["filegen"] = StatisticsDirectives.Filegen,
            ["keys"] = AuthDirectives.Keys,
            ["trustedkey"] = AuthDirectives.TrustedKey,
            ["controlkey"] = AuthDirectives.ControlKey,
            ["requestkey"] = AuthDirectives.RequestKey,
            ["leapsmearinterval"] = LeapSmearDirective.Parse,
        };

        string[] notImplemented =
        [
            "calldelay", "delrestrict", "device", "dscp", "mdnstries",
            "nonvolatile", "ntpsigndsocket", "phone", "pollskewlist", "reset", "rlimit", "saveconfigdir",
            "setvar", "tick", "trap", "ttl", "unconfig", "unpeer",
        ];
        foreach (string keyword in notImplemented)
        {
            handlers[keyword] = UnsupportedFeature.WarnNotImplemented;
        }

        string[] autokey = ["autokey", "automax", "crypto", "ident", "keysdir", "revoke"];
        foreach (string keyword in autokey)
        {
            handlers[keyword] = UnsupportedFeature.WarnAutokey;
        }

        return handlers;
    }
}

// SystemOptionDirectives: "enable|disable auth|bclient|calibrate|kernel|mode7|monitor|ntp|pps|
// stats|peer_clear_digest_early|unpeer_crypto_early|unpeer_crypto_nak_early|
// unpeer_digest_early ..." (ntpd 4.2.8 miscopt.html). Lines apply in file order, so the last
// mention of a flag wins.
namespace Stratum.Core.Config;

/// <summary>Parsers of the enable and disable directives.</summary>
internal static class SystemOptionDirectives
{
    public static void Enable(DirectiveLine line, ConfigBuilder config) => Parse(line, config, on: true);

    public static void Disable(DirectiveLine line, ConfigBuilder config) => Parse(line, config, on: false);

    private static void Parse(DirectiveLine line, ConfigBuilder config, bool on)
    {
        if (!line.RequireOptions("at least one flag"))
        {
            return;
        }

        while (line.TryTake(out ConfigToken flag))
        {
            SystemOptions? updated = Apply(config.System, flag.Text, on);
            if (updated is null)
            {
                line.Error(flag, $"unknown flag {DiagnosticText.Quote(flag.Text)} for {line.Name}");
            }
            else
            {
                config.System = updated;
            }
        }
    }

    private static SystemOptions? Apply(SystemOptions options, string flag, bool on) => flag switch
    {
        "auth" => options with { Authentication = on },
        "bclient" => options with { BroadcastClient = on },
        "calibrate" => options with { Calibrate = on },
        "kernel" => options with { KernelDiscipline = on },
        "mode7" => options with { Mode7 = on },
        "monitor" => options with { Monitoring = on },
        "ntp" => options with { ClockDiscipline = on },
        "pps" => options with { Pps = on },
        "stats" => options with { Statistics = on },
        "peer_clear_digest_early" => options with { PeerClearDigestEarly = on },
        "unpeer_crypto_early" => options with { UnpeerCryptoEarly = on },
        "unpeer_crypto_nak_early" => options with { UnpeerCryptoNakEarly = on },
        "unpeer_digest_early" => options with { UnpeerDigestEarly = on },
        _ => null,
    };
}

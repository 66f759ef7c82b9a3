// RestrictDirective: "restrict [-4|-6] default|ADDRESS [mask MASK] [flag ...]" and "restrict
// source [flag ...]" (ntpd 4.2.8 accopt.html). Flags are those of 4.2.8 (RestrictFlags); flags
// and options from later 4.2.8 point releases (noepeer, epeer, mssntp, flake, ippeerlimit N,
// serverresponse fuzz) are recognized and warned about. Without -4/-6, "restrict default" covers
// both families. A mask on an IPv6 address is an IPv6 mask.
// Deviation: ntpd resolves a host name given as ADDRESS; Stratum needs a numeric address, and
// says so with an error rather than dropping an access rule.
using System.Net;

namespace Stratum.Core.Config;

/// <summary>Parser of the restrict directive.</summary>
internal static class RestrictDirective
{
    public static void Parse(DirectiveLine line, ConfigBuilder config)
    {
        AddressFamilyHint family = line.TakeAddressFamilyFlag(out ConfigToken familyFlag);
        if (!line.TryTakeArgument("an address, 'default' or 'source'", out ConfigToken targetToken))
        {
            return;
        }

        RestrictTarget target;
        IPAddress? address = null;
        switch (targetToken.Text)
        {
            case "default":
                target = RestrictTarget.Default;
                break;
            case "source":
                target = RestrictTarget.Source;
                if (family != AddressFamilyHint.Any)
                {
                    line.Error(
                        familyFlag,
                        $"{DiagnosticText.Quote(familyFlag.Text)} cannot be used with 'restrict source'");
                    family = AddressFamilyHint.Any;
                }

                break;
            default:
                target = RestrictTarget.Address;
                if (!TryParseAddress(line, targetToken, familyFlag, ref family, out address))
                {
                    line.SkipRest();
                    return;
                }

                break;
        }

        IPAddress? mask = address is null ? null : AddressSyntax.HostMask(address);
        RestrictFlags flags = RestrictFlags.None;
        while (line.TryTake(out ConfigToken word))
        {
            if (word.Text == "mask")
            {
                mask = ParseMask(line, word, target, address) ?? mask;
            }
            else
            {
                flags |= ParseFlag(line, word);
            }
        }

        config.Restrictions.Add(new RestrictRule(target, address, mask, family, flags, line.LineNumber));
    }

    private static bool TryParseAddress(
        DirectiveLine line,
        ConfigToken token,
        ConfigToken familyFlag,
        ref AddressFamilyHint family,
        out IPAddress? address)
    {
        AddressForm form = AddressSyntax.Classify(token.Text, out address);
        if (form == AddressForm.HostName)
        {
            line.Error(
                token,
                $"restrict needs a numeric address; host name {DiagnosticText.Quote(token.Text)} is not supported yet");
            return false;
        }

        if (address is null)
        {
            line.Error(token, AddressSyntax.BadAddressMessage(token.Text));
            return false;
        }

        AddressFamilyHint addressFamily = AddressSyntax.FamilyOf(address);
        if (family != AddressFamilyHint.Any && family != addressFamily)
        {
            line.Error(familyFlag, AddressSyntax.FamilyMismatchMessage(familyFlag, addressFamily, token.Text));
        }

        family = addressFamily;
        return true;
    }

    /// <summary>The mask after "mask", or null (reported) when missing, bad or out of place.</summary>
    private static IPAddress? ParseMask(
        DirectiveLine line,
        ConfigToken maskWord,
        RestrictTarget target,
        IPAddress? address)
    {
        if (!line.TryTake(out ConfigToken value))
        {
            line.Error(maskWord, "'mask' needs an address mask");
            return null;
        }

        if (target != RestrictTarget.Address || address is null)
        {
            string subject = target == RestrictTarget.Source ? "restrict source" : "restrict default";
            line.Error(maskWord, $"'mask' cannot be used with {subject}");
            return null;
        }

        if (!AddressSyntax.TryParseLiteral(value.Text, out IPAddress? mask))
        {
            line.Error(value, $"bad mask {DiagnosticText.Quote(value.Text)}");
            return null;
        }

        if (mask.AddressFamily != address.AddressFamily)
        {
            string family = AddressSyntax.FamilyOf(address) == AddressFamilyHint.IPv6 ? "IPv6" : "IPv4";
            string addressText = DiagnosticText.Quote(address.ToString());
            line.Error(value, $"bad mask {DiagnosticText.Quote(value.Text)} for {family} address {addressText}");
            return null;
        }

        return mask;
    }

    private static RestrictFlags ParseFlag(DirectiveLine line, ConfigToken word)
    {
        switch (word.Text)
        {
            case "ignore": return RestrictFlags.Ignore;
            case "kod": return RestrictFlags.Kod;
            case "limited": return RestrictFlags.Limited;
            case "lowpriotrap": return RestrictFlags.LowPriorityTrap;
            case "nomodify": return RestrictFlags.NoModify;
            case "noquery": return RestrictFlags.NoQuery;
            case "nopeer": return RestrictFlags.NoPeer;
            case "noserve": return RestrictFlags.NoServe;
            case "notrap": return RestrictFlags.NoTrap;
            case "notrust": return RestrictFlags.NoTrust;
            case "ntpport": return RestrictFlags.NtpPort;
            case "version": return RestrictFlags.Version;
            case "nomrulist": return RestrictFlags.NoMruList;
            case "noepeer" or "epeer" or "mssntp" or "flake":
                line.Warning(word, UnsupportedFeature.NotImplemented("restrict flag", word.Text));
                return RestrictFlags.None;
            case "ippeerlimit":
                if (line.TryTakeInteger(word, -1, 100, out _))
                {
                    line.Warning(word, UnsupportedFeature.NotImplemented("restrict option", word.Text));
                }

                return RestrictFlags.None;
            case "serverresponse":
                if (line.TryTake(out ConfigToken fuzz) && fuzz.Text == "fuzz")
                {
                    line.Warning(word, UnsupportedFeature.NotImplemented("restrict option", "serverresponse fuzz"));
                }
                else
                {
                    line.Error(word, "'serverresponse' needs 'fuzz'");
                }

                return RestrictFlags.None;
            default:
                line.Error(word, $"unknown flag {DiagnosticText.Quote(word.Text)} for restrict");
                return RestrictFlags.None;
        }
    }
}

// InterfaceDirective: "interface|nic listen|ignore|drop all|ipv4|ipv6|wildcard|ADDRESS[/PREFIX]
// |NAME" (ntpd 4.2.8 miscopt.html; ntp_config.c config_nic_rules). A word that parses as an
// address (with an optional prefix length) matches addresses; anything else is an interface
// name pattern. Evaluation is in InterfaceRules.
// Deviation: ntpd clamps a prefix length beyond the address size and treats "10.0.0.300" as an
// interface name; Stratum reports both, since neither can be what the admin meant.
using System.Globalization;
using System.Net;

namespace Stratum.Core.Config;

/// <summary>Parser of the interface and nic directives.</summary>
internal static class InterfaceDirective
{
    private const string SelectorsText = "all, ipv4, ipv6, wildcard, an address or an interface name";

    public static void Parse(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.TryTakeArgument("listen, ignore or drop", out ConfigToken actionToken))
        {
            return;
        }

        InterfaceAction action;
        switch (actionToken.Text)
        {
            case "listen":
                action = InterfaceAction.Listen;
                break;
            case "ignore":
                action = InterfaceAction.Ignore;
                break;
            case "drop":
                action = InterfaceAction.Drop;
                break;
            default:
                line.Error(
                    actionToken,
                    $"{DiagnosticText.Quote(line.Name)} needs listen, ignore or drop, "
                    + $"not {DiagnosticText.Quote(actionToken.Text)}");
                line.SkipRest();
                return;
        }

        if (!line.TryTakeArgument(SelectorsText, out ConfigToken selector))
        {
            return;
        }

        InterfaceRule? rule = ParseSelector(line, selector, action);
        line.ExpectEnd();
        if (rule is not null)
        {
            config.InterfaceRules.Add(rule);
        }
    }

    private static InterfaceRule? ParseSelector(DirectiveLine line, ConfigToken selector, InterfaceAction action)
    {
        string text = selector.Text;
        InterfaceMatch? keyword = text switch
        {
            "all" => InterfaceMatch.All,
            "ipv4" => InterfaceMatch.IPv4,
            "ipv6" => InterfaceMatch.IPv6,
            "wildcard" => InterfaceMatch.Wildcard,
            _ => null,
        };
        if (keyword is InterfaceMatch match)
        {
            return new InterfaceRule(action, match, null, null, null, line.LineNumber);
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? text : text[..slash];
        if (AddressSyntax.TryParseLiteral(addressText, out IPAddress? address))
        {
            int? prefixLength = null;
            if (slash >= 0 && !TryParsePrefixLength(line, selector, text[(slash + 1)..], address, out prefixLength))
            {
                return null;
            }

            return new InterfaceRule(action, InterfaceMatch.Address, null, address, prefixLength, line.LineNumber);
        }

        if (slash >= 0 || LooksLikeAddress(addressText))
        {
            line.Error(selector, AddressSyntax.BadAddressMessage(text));
            return null;
        }

        return new InterfaceRule(action, InterfaceMatch.Name, text, null, null, line.LineNumber);
    }

    private static bool TryParsePrefixLength(
        DirectiveLine line,
        ConfigToken selector,
        string text,
        IPAddress address,
        out int? prefixLength)
    {
        int maxBits = AddressSyntax.FamilyOf(address) == AddressFamilyHint.IPv6 ? 128 : 32;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int bits) && bits <= maxBits)
        {
            prefixLength = bits;
            return true;
        }

        line.Error(selector, $"bad prefix length in {DiagnosticText.Quote(selector.Text)} (0 to {maxBits})");
        prefixLength = null;
        return false;
    }

    /// <summary>
    /// Digits and dots, or hex digits and colons with at least one colon: meant as an address.
    /// ("eth0:1", an alias, is a name.)
    /// </summary>
    private static bool LooksLikeAddress(string text)
    {
        bool dottedDigits = true;
        bool hexAndColons = text.Contains(':', StringComparison.Ordinal);
        foreach (char c in text)
        {
            dottedDigits &= char.IsAsciiDigit(c) || c == '.';
            hexAndColons &= char.IsAsciiHexDigit(c) || c == ':' || c == '.';
        }

        return dottedDigits || hexAndColons;
    }
}

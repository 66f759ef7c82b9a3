// AssociationDirectives: "server|pool|peer [-4|-6] ADDRESS [options]" (ntpd 4.2.8 confopt.html).
// ADDRESS is an IPv4/IPv6 literal or a DNS name (resolved later by Platform). On a server line
// the pseudo address 127.127.T.U declares a reference clock instead (refclock.html); pool and
// peer cannot. Reference clock types other than those Stratum drives are kept and warned about.
// "broadcast ADDRESS" and "manycastclient GROUP" take the same options but need an address
// literal: a broadcast address or multicast group for broadcast, a multicast group for manycast.
using System.Net;

namespace Stratum.Core.Config;

/// <summary>Parsers of the server, pool and peer directives.</summary>
internal static class AssociationDirectives
{
    public static void Server(DirectiveLine line, ConfigBuilder config) => Parse(line, config, AssociationKind.Server);

    public static void Pool(DirectiveLine line, ConfigBuilder config) => Parse(line, config, AssociationKind.Pool);

    public static void Peer(DirectiveLine line, ConfigBuilder config) => Parse(line, config, AssociationKind.Peer);

    public static void Broadcast(DirectiveLine line, ConfigBuilder config) => Parse(line, config, AssociationKind.Broadcast);

    public static void ManycastClient(DirectiveLine line, ConfigBuilder config) => Parse(line, config, AssociationKind.ManycastClient);

    private static void Parse(DirectiveLine line, ConfigBuilder config, AssociationKind kind)
    {
        AddressFamilyHint family = line.TakeAddressFamilyFlag(out ConfigToken familyFlag);
        if (!line.TryTakeArgument("an address", out ConfigToken addressToken))
        {
            return;
        }

        string address = addressToken.Text;
        bool cast = kind is AssociationKind.Broadcast or AssociationKind.ManycastClient;
        if (!cast && AddressSyntax.TryParseRefClock(address, out byte driverType, out byte unit))
        {
            ParseRefClock(line, config, kind, family, familyFlag, addressToken, driverType, unit);
            return;
        }

        AddressForm form = AddressSyntax.Classify(address, out IPAddress? literal);
        if (form == AddressForm.Invalid)
        {
            line.Error(addressToken, AddressSyntax.BadAddressMessage(address));
            line.SkipRest();
            return;
        }

        if (literal is not null)
        {
            AddressFamilyHint literalFamily = AddressSyntax.FamilyOf(literal);
            if (family != AddressFamilyHint.Any && family != literalFamily)
            {
                line.Error(familyFlag, AddressSyntax.FamilyMismatchMessage(familyFlag, literalFamily, address));
            }

            family = literalFamily;
        }

        if (cast && !IsCastAddress(line, kind, addressToken, literal))
        {
            line.SkipRest();
            return;
        }

        var options = AssociationOptions.Parse(line, isRefClock: false);
        (sbyte minPoll, sbyte maxPoll) = options.ResolvePolls(line);
        foreach (ConfigToken option in options.Written)
        {
            if (IgnoredBy(kind, option.Text))
            {
                line.Warning(option, $"option {DiagnosticText.Quote(option.Text)} has no effect on a {DiagnosticText.Quote(line.Name)} line");
            }
        }

        if (options.Nts && kind is not (AssociationKind.Server or AssociationKind.Pool))
        {
            line.Warning(line.Directive, $"option 'nts' only applies to 'server' and 'pool' lines and is ignored on {DiagnosticText.Quote(line.Name)}");
        }
        else if (!options.Nts && options.NtsOptionToken is ConfigToken ntsOption)
        {
            line.Warning(ntsOption, $"option {DiagnosticText.Quote(ntsOption.Text)} only applies with 'nts' and is ignored");
        }

        if (options.Ttl is not null && !cast)
        {
            line.Warning(options.TtlToken, $"option 'ttl' only applies to 'broadcast' and 'manycastclient' lines and is ignored on {DiagnosticText.Quote(line.Name)}");
        }


        config.Associations.Add(new AssociationConfig(
            kind,
            address,
            family,
            options.Iburst,
            options.Burst,
            options.Prefer,
            options.NoSelect,
            options.True,
            minPoll,
            maxPoll,
            (byte)(options.Version ?? AssociationConfig.DefaultVersion),
            (uint?)options.KeyId,
            line.LineNumber)
        {
            Xleave = options.Xleave,
            Ttl = cast ? (byte?)options.Ttl : null,
            Nts = options.Nts && kind is AssociationKind.Server or AssociationKind.Pool,
            NtsCa = options.NtsCa,
            NtsNoValidation = options.NtsNoValidation,
            NtsAead = options.NtsAead,
        });
    }

    // A broadcast server sends basic mode 5 at minpoll and selects nothing; a manycast solicitor passes only
    // iburst (and its poll range, key and version) to the associations it mobilizes, as ntpd does.
    private static bool IgnoredBy(AssociationKind kind, string option) => kind switch
    {
        AssociationKind.Broadcast => option is "iburst" or "burst" or "prefer" or "noselect" or "true" or "maxpoll" or "xleave",
        AssociationKind.ManycastClient => option is "burst" or "prefer" or "noselect" or "true" or "xleave",
        _ => false,
    };

    // A broadcast line needs an IPv4 broadcast address or a multicast group (an IPv6 one must be a group:
    // IPv6 has no broadcast); a manycastclient line needs a multicast group. Names are not looked up.
    private static bool IsCastAddress(DirectiveLine line, AssociationKind kind, ConfigToken addressToken, IPAddress? literal)
    {
        if (literal is null)
        {
            line.Error(addressToken, $"{DiagnosticText.Quote(line.Name)} needs an address literal, not the name {DiagnosticText.Quote(addressToken.Text)}");
            return false;
        }

        bool multicast = AddressSyntax.IsMulticast(literal);
        if (kind == AssociationKind.ManycastClient && !multicast)
        {
            line.Error(addressToken, $"'manycastclient' needs a multicast group address (224.0.0.0/4 or ff00::/8), not {DiagnosticText.Quote(addressToken.Text)}");
            return false;
        }

        if (kind == AssociationKind.Broadcast && literal.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !multicast)
        {
            line.Error(addressToken, $"'broadcast' to an IPv6 address needs a multicast group (ff00::/8), not {DiagnosticText.Quote(addressToken.Text)}");
            return false;
        }

        return true;
    }

    private static void ParseRefClock(
        DirectiveLine line,
        ConfigBuilder config,
        AssociationKind kind,
        AddressFamilyHint family,
        ConfigToken familyFlag,
        ConfigToken addressToken,
        byte driverType,
        byte unit)
    {
        if (kind != AssociationKind.Server)
        {
            line.Error(
                addressToken,
                $"reference clock address {DiagnosticText.Quote(addressToken.Text)} needs 'server', "
                + $"not {DiagnosticText.Quote(line.Name)}");
            line.SkipRest();
            return;
        }

        if (family == AddressFamilyHint.IPv6)
        {
            string message = AddressSyntax.FamilyMismatchMessage(familyFlag, AddressFamilyHint.IPv4, addressToken.Text);
            line.Error(familyFlag, message);
        }

        if (driverType is not (RefClockConfig.LocalClockDriverType or RefClockConfig.SharedMemoryDriverType or RefClockConfig.NmeaDriverType
            or RefClockConfig.PpsDriverType))
        {
            line.Warning(addressToken, $"refclock type {driverType} is not implemented yet");
        }

        var options = AssociationOptions.Parse(line, isRefClock: true);
        (sbyte minPoll, sbyte maxPoll) = options.ResolvePolls(line);
        var clock = new RefClockConfig(
            driverType,
            unit,
            options.Prefer,
            minPoll,
            maxPoll,
            line.LineNumber,
            Stratum: null,
            Time1: 0,
            Time2: 0,
            RefId: null,
            Flag1: false,
            Flag2: false,
            Flag3: false,
            Flag4: false)
        {
            NoSelect = options.NoSelect,
            True = options.True,
            Mode = options.Mode,
        };
        config.AddRefClock(clock, line, addressToken);
    }
}

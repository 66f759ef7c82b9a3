// AssociationOptions: the options after the address of a server, pool or peer line (ntpd 4.2.8
// confopt.html "Server Command Options"): iburst burst prefer noselect true, minpoll maxpoll
// (3..17) version (1..4) key (1..65535) mode (reference clocks) xleave (RFC 9769 interleaved mode)
// ttl (0..255, broadcast and manycastclient lines). ntpd options Stratum does not implement (preempt
// xmtnonce) and Autokey ones (autokey ident) are warned about.
// As in ntpd's newpeer(), a minpoll above maxpoll is lowered to maxpoll.
namespace Stratum.Core.Config;

/// <summary>Parsed association options of one line.</summary>
internal sealed class AssociationOptions
{
    private ConfigToken _minPollToken;

    public bool Iburst { get; private set; }

    public bool Burst { get; private set; }

    public bool Xleave { get; private set; }

    public bool Prefer { get; private set; }

    public bool NoSelect { get; private set; }

    public bool True { get; private set; }

    public int? MinPoll { get; private set; }

    public int? MaxPoll { get; private set; }

    public int? Version { get; private set; }

    public int? KeyId { get; private set; }

    public int? Mode { get; private set; }

    public int? Ttl { get; private set; }

    public bool Nts { get; private set; }

    public string? NtsCa { get; private set; }

    public bool NtsNoValidation { get; private set; }

    public ushort? NtsAead { get; private set; }

    /// <summary>Where an NTS-only option (ca, noval, aead) was written, for a warning without `nts`.</summary>
    public ConfigToken? NtsOptionToken { get; private set; }

    /// <summary>Every option word as written, in order (for warnings about options a line's kind ignores).</summary>
    public List<ConfigToken> Written { get; } = [];

    /// <summary>Where <c>ttl</c> was written, for a warning on lines it does not apply to.</summary>
    public ConfigToken TtlToken { get; private set; }

    /// <summary>Reads every remaining word of <paramref name="line"/> as an option.</summary>
    public static AssociationOptions Parse(DirectiveLine line, bool isRefClock)
    {
        var options = new AssociationOptions();
        while (line.TryTake(out ConfigToken option))
        {
            options.ParseOne(line, option, isRefClock);
        }

        return options;
    }

    /// <summary>minpoll and maxpoll with defaults applied, minpoll lowered to maxpoll if above it.</summary>
    public (sbyte MinPoll, sbyte MaxPoll) ResolvePolls(DirectiveLine line)
    {
        int maxPoll = MaxPoll ?? AssociationConfig.DefaultMaxPoll;
        int minPoll = MinPoll ?? AssociationConfig.DefaultMinPoll;
        if (minPoll > maxPoll)
        {
            if (MinPoll is not null)
            {
                line.Warning(_minPollToken, $"minpoll {minPoll} is above maxpoll {maxPoll}; minpoll becomes {maxPoll}");
            }

            minPoll = maxPoll;
        }

        return ((sbyte)minPoll, (sbyte)maxPoll);
    }

    private void ParseOne(DirectiveLine line, ConfigToken option, bool isRefClock)
    {
        Written.Add(option);
        int value;
        switch (option.Text)
        {
            case "iburst":
                Iburst = IsClientOptionUsable(line, option, isRefClock);
                break;
            case "burst":
                Burst = IsClientOptionUsable(line, option, isRefClock);
                break;
            case "prefer":
                Prefer = true;
                break;
            case "noselect":
                NoSelect = true;
                break;
            case "true":
                True = true;
                break;
            case "minpoll":
                if (line.TryTakeInteger(option, PollLimits.Min, PollLimits.Max, out value))
                {
                    MinPoll = value;
                    _minPollToken = option;
                }

                break;
            case "maxpoll":
                if (line.TryTakeInteger(option, PollLimits.Min, PollLimits.Max, out value))
                {
                    MaxPoll = value;
                }

                break;
            case "version":
                if (line.TryTakeInteger(option, 1, 4, out value) && IsClientOptionUsable(line, option, isRefClock))
                {
                    Version = value;
                }

                break;
            case "key":
                if (line.TryTakeInteger(option, KeyIdLimits.Min, KeyIdLimits.Max, out value)
                    && IsClientOptionUsable(line, option, isRefClock))
                {
                    KeyId = value;
                }

                break;
            case "mode":
                ParseMode(line, option, isRefClock);
                break;
            case "ttl":
                if (line.TryTakeInteger(option, 0, 255, out value) && IsClientOptionUsable(line, option, isRefClock))
                {
                    Ttl = value;
                    TtlToken = option;
                }

                break;
            case "xleave":
                Xleave = IsClientOptionUsable(line, option, isRefClock);
                break;
            case "nts":
                Nts = IsClientOptionUsable(line, option, isRefClock);
                break;
            case "noval":
                NtsNoValidation = true;
                NtsOptionToken ??= option;
                break;
            case "ca":
                if (line.TryTakeArgument("a file or directory", out ConfigToken ca))
                {
                    NtsCa = ca.Text;
                    NtsOptionToken ??= option;
                }

                break;
            case "aead":
                if (line.TryTakeArgument("an AEAD name", out ConfigToken name))
                {
                    if (NtsAeadNames.TryParse(name.Text, out ushort aead))
                    {
                        NtsAead = aead;
                        NtsOptionToken ??= option;
                    }
                    else
                    {
                        line.Error(name, $"unknown NTS AEAD {DiagnosticText.Quote(name.Text)} (AES_SIV_CMAC_256, AES_SIV_CMAC_384 or AES_SIV_CMAC_512)");
                    }
                }

                break;
            case "preempt" or "xmtnonce":
                line.Warning(option, UnsupportedFeature.NotImplemented("option", option.Text));
                break;
            case "autokey":
                line.Warning(option, UnsupportedFeature.Autokey("option", option.Text));
                break;
            case "ident":
                ParseIdent(line, option);
                break;
            default:
                line.ReportUnknownOption(option);
                break;
        }
    }

    private void ParseMode(DirectiveLine line, ConfigToken option, bool isRefClock)
    {
        if (!line.TryTakeInteger(option, 0, 255, out int value))
        {
            return;
        }

        if (isRefClock)
        {
            Mode = value;
        }
        else
        {
            line.Warning(option, "option 'mode' only applies to reference clocks and is ignored");
        }
    }

    private static void ParseIdent(DirectiveLine line, ConfigToken option)
    {
        if (line.TryTake(out _))
        {
            line.Warning(option, UnsupportedFeature.Autokey("option", option.Text));
        }
        else
        {
            line.Error(option, "'ident' needs a group name");
        }
    }

    /// <summary>False (and a warning) for client-only options on a reference clock line.</summary>
    private static bool IsClientOptionUsable(DirectiveLine line, ConfigToken option, bool isRefClock)
    {
        if (isRefClock)
        {
            line.Warning(option, $"option {DiagnosticText.Quote(option.Text)} has no effect on a reference clock");
            return false;
        }

        return true;
    }
}

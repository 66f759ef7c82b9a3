// RestrictSlot: every entry that shares one (address, mask) pair, by rank (RestrictRank). A lookup
// that reaches this pair takes the first rank present whose port condition holds; when none holds
// (only `ntpport` entries and the source port is not 123) the search goes on to shorter masks.
// Mutable only while the table is compiled; the compiled table never changes it.
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>The entries of one address/mask pair.</summary>
internal struct RestrictSlot
{
    private RestrictFlags _interface;
    private RestrictFlags _staticNtpPort;
    private RestrictFlags _static;
    private RestrictFlags _sourceNtpPort;
    private RestrictFlags _source;
    private byte _present;

    public readonly bool Has(RestrictRank rank) => (_present & (1 << (int)rank)) != 0;

    public readonly RestrictFlags Get(RestrictRank rank) => rank switch
    {
        RestrictRank.Interface => _interface,
        RestrictRank.StaticNtpPort => _staticNtpPort,
        RestrictRank.Static => _static,
        RestrictRank.SourceNtpPort => _sourceNtpPort,
        _ => _source,
    };

    /// <summary>Adds flags to the entry of <paramref name="rank"/>, creating it: ntpd ORs the flags of
    /// repeated restrict lines for the same address, mask and match flags.</summary>
    public void Merge(RestrictRank rank, RestrictFlags flags) => Set(rank, Has(rank) ? Get(rank) | flags : flags);

    /// <summary>Sets the entry of <paramref name="rank"/>, replacing any flags it had.</summary>
    public void Set(RestrictRank rank, RestrictFlags flags)
    {
        _present |= (byte)(1 << (int)rank);
        switch (rank)
        {
            case RestrictRank.Interface: _interface = flags; break;
            case RestrictRank.StaticNtpPort: _staticNtpPort = flags; break;
            case RestrictRank.Static: _static = flags; break;
            case RestrictRank.SourceNtpPort: _sourceNtpPort = flags; break;
            default: _source = flags; break;
        }
    }

    /// <summary>The first entry that applies to a packet from port 123 (or not).</summary>
    public readonly bool TryResolve(bool fromNtpPort, out RestrictFlags flags, out RestrictRank rank)
    {
        if (fromNtpPort && Has(RestrictRank.Interface))
        {
            (flags, rank) = (_interface, RestrictRank.Interface);
            return true;
        }

        if (fromNtpPort && Has(RestrictRank.StaticNtpPort))
        {
            (flags, rank) = (_staticNtpPort, RestrictRank.StaticNtpPort);
            return true;
        }

        if (Has(RestrictRank.Static))
        {
            (flags, rank) = (_static, RestrictRank.Static);
            return true;
        }

        if (fromNtpPort && Has(RestrictRank.SourceNtpPort))
        {
            (flags, rank) = (_sourceNtpPort, RestrictRank.SourceNtpPort);
            return true;
        }

        if (Has(RestrictRank.Source))
        {
            (flags, rank) = (_source, RestrictRank.Source);
            return true;
        }

        (flags, rank) = (RestrictFlags.None, RestrictRank.Static);
        return false;
    }
}

// NtpdRestrictBits: Stratum's restrict flags as ntpd 4.2.8's RES_* bits (ntp.h), the values mode 6
// carries in mrulist's rs.N and ntpq's resall=/resany= filters: ignore 0x1, noserve 0x2,
// notrust 0x4, version 0x8, nopeer 0x10, limited 0x20, noquery 0x40, nomodify 0x80, notrap
// 0x100, lowpriotrap 0x200, kod 0x400, nomrulist 0x2000 (NTPsec uses the same values). RES_MSSNTP
// (0x800) and RES_FLAKE (0x1000) have no Stratum flag; `ntpport` is a match flag, never sent.
using Stratum.Core.Config;

namespace Stratum.Engine.Control;

/// <summary>Translation to ntpd's RES_* wire bits.</summary>
public static class NtpdRestrictBits
{
    /// <summary>RES_LIMITED: ntpq prints 'L' in mrulist's r column.</summary>
    public const ushort Limited = 0x0020;

    /// <summary>RES_KOD: ntpq prints 'K' in mrulist's r column.</summary>
    public const ushort Kod = 0x0400;

    private static readonly (RestrictFlags Flag, ushort Bit)[] s_bits =
    [
        (RestrictFlags.Ignore, 0x0001),
        (RestrictFlags.NoServe, 0x0002),
        (RestrictFlags.NoTrust, 0x0004),
        (RestrictFlags.Version, 0x0008),
        (RestrictFlags.NoPeer, 0x0010),
        (RestrictFlags.Limited, Limited),
        (RestrictFlags.NoQuery, 0x0040),
        (RestrictFlags.NoModify, 0x0080),
        (RestrictFlags.NoTrap, 0x0100),
        (RestrictFlags.LowPriorityTrap, 0x0200),
        (RestrictFlags.Kod, Kod),
        (RestrictFlags.NoMruList, 0x2000),
    ];

    /// <summary>The RES_* bits of <paramref name="flags"/>.</summary>
    public static ushort From(RestrictFlags flags)
    {
        ushort bits = 0;
        foreach ((RestrictFlags flag, ushort bit) in s_bits)
        {
            if ((flags & flag) != 0)
            {
                bits |= bit;
            }
        }

        return bits;
    }
}

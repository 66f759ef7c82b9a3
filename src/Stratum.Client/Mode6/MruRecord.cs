// MruRecord: one row of a server's MRU list as READ_MRU reports it (ntpd 4.2.8 ntp_control.c
// read_mru_list: addr.N, last.N, first.N, ct.N, mv.N, rs.N): the client's address and latest
// source port, first and last receive times, packet count, mode and version of its latest
// packet, and its restrict flags as ntpd's RES_* bits. Plain data for ntpq's mrulist table.
using System.Net;
using Stratum.Core.Time;

namespace Stratum.Client.Mode6;

/// <summary>A remote address the server heard from.</summary>
/// <param name="Address">The client's address and latest source port.</param>
/// <param name="Last">When its latest packet arrived (server clock).</param>
/// <param name="First">When its first packet arrived.</param>
/// <param name="Count">Packets counted.</param>
/// <param name="Mode">Mode of the latest packet (mv &amp; 7).</param>
/// <param name="Version">Version of the latest packet ((mv &gt;&gt; 3) &amp; 7).</param>
/// <param name="Restrictions">Restrict flags, ntpd RES_* bits (rs).</param>
public sealed record MruRecord(IPEndPoint Address, NtpTimestamp Last, NtpTimestamp First, int Count, int Mode, int Version, ushort Restrictions)
{
    /// <summary>RES_LIMITED.</summary>
    public const ushort RestrictLimited = 0x0020;

    /// <summary>RES_KOD.</summary>
    public const ushort RestrictKod = 0x0400;
}

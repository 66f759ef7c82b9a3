// PeerStatusWord: the 16-bit status of one association (RFC 1305 appendix B.2.2; ntpd 4.2.8
// ntp_control.h CTL_PEER_STATUS): five flag bits (configured, authentication enabled, authentic,
// reachable, broadcast), the 3-bit selection code, a 4-bit event counter and the last event code.
namespace Stratum.Core.Mode6;

/// <summary>Decoded peer status word.</summary>
public readonly record struct PeerStatusWord(
    bool Configured,
    bool AuthenticationEnabled,
    bool Authentic,
    bool Reachable,
    bool Broadcast,
    PeerSelection Selection,
    byte EventCount,
    byte EventCode)
{
    /// <summary>PEVNT_MOBIL (ntpq "mobilize").</summary>
    public const byte EventMobilize = 1;

    /// <summary>PEVNT_REACH (ntpq "reachable").</summary>
    public const byte EventReachable = 4;

    /// <summary>PEVNT_NEWPEER (ntpq "sys_peer").</summary>
    public const byte EventSystemPeer = 10;

    public ushort Encode() => (ushort)(
        (Configured ? 0x8000 : 0) | (AuthenticationEnabled ? 0x4000 : 0) | (Authentic ? 0x2000 : 0)
        | (Reachable ? 0x1000 : 0) | (Broadcast ? 0x0800 : 0) | (((byte)Selection & 0x7) << 8)
        | ((EventCount & 0xF) << 4) | (EventCode & 0xF));

    public static PeerStatusWord Decode(ushort status) => new(
        (status & 0x8000) != 0, (status & 0x4000) != 0, (status & 0x2000) != 0, (status & 0x1000) != 0,
        (status & 0x0800) != 0, (PeerSelection)((status >> 8) & 0x7), (byte)((status >> 4) & 0xF), (byte)(status & 0xF));
}

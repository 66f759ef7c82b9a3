// FlashTest: ntpd 4.2.8's "flasher" bits (ntp.h TEST1..TEST13), the `flash` peer variable of mode 6
// and the flash/flash2 fields of mode 7's info_peer. The low nine (PKT_TEST_MASK) say which checks
// the last packet from the remote end failed; ntpd clears them on each packet that reaches the
// association and sets them in receive() and process_packet(). The next four (PEER_TEST_MASK) say
// why the association is unfit for selection now (ntpd's peer_unfit). ntpq prints the mask in hex
// with these names (tstflags): pkt_dup ... peer_unreach. Stratum sets only the bits its own checks
// make (see RemoteAssociation.PacketTests and SourceManager.PeerTests); TEST4 (access), TEST7
// (header distance) and the Autokey bits TEST8, TEST9 have no check of ours and stay clear.
namespace Stratum.Engine.Associations;

/// <summary>ntpd's TEST1..TEST13 bits.</summary>
[Flags]
public enum FlashTest : ushort
{
    None = 0,

    /// <summary>TEST1 pkt_dup: the transmit timestamp repeats the last packet's (a duplicate or replay).</summary>
    Duplicate = 0x0001,

    /// <summary>TEST2 pkt_bogus: the origin timestamp is not the one of our outstanding request.</summary>
    Bogus = 0x0002,

    /// <summary>TEST3 pkt_unsync: a zero receive or transmit timestamp (the server has not started the protocol).</summary>
    Unsynchronized = 0x0004,

    /// <summary>TEST4 pkt_denied: access denied by restrict (no check of ours on this path).</summary>
    Denied = 0x0008,

    /// <summary>TEST5 pkt_auth: the MAC by `key N` is missing or wrong, or a crypto-NAK.</summary>
    Authentication = 0x0010,

    /// <summary>TEST6 pkt_stratum: the server says it is unsynchronized (leap 3, stratum 0 or ≥ 16).</summary>
    Stratum = 0x0020,

    /// <summary>TEST7 pkt_header: root delay / 2 + root dispersion ≥ 16 s (no check of ours).</summary>
    Header = 0x0040,

    /// <summary>TEST8 pkt_autokey (Autokey: never).</summary>
    Autokey = 0x0080,

    /// <summary>TEST9 pkt_crypto (Autokey: never).</summary>
    Crypto = 0x0100,

    /// <summary>TEST10 peer_stratum: the association's leap is 3 or its stratum is out of range (never synchronized included).</summary>
    PeerStratum = 0x0200,

    /// <summary>TEST11 peer_dist: root distance beyond the selection threshold.</summary>
    PeerDistance = 0x0400,

    /// <summary>TEST12 peer_loop: the server is synchronized to us.</summary>
    PeerLoop = 0x0800,

    /// <summary>TEST13 peer_unreach: the reach register is empty, or `noselect`.</summary>
    PeerUnreachable = 0x1000,

    /// <summary>PKT_TEST_MASK: TEST1..TEST9.</summary>
    PacketMask = 0x01FF,

    /// <summary>PEER_TEST_MASK: TEST10..TEST13.</summary>
    PeerMask = 0x1E00,
}

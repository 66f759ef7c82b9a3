// PeerSelection: the 3-bit selection code of a peer status word (ntpd 4.2.8 ntp_control.h
// CTL_PST_SEL_*): how far the association got through the selection algorithm. ntpq shows it as
// the tally character of `peers` (" x.-+#*o") and the condition of `associations`.
namespace Stratum.Core.Mode6;

/// <summary>Peer selection codes, wire values.</summary>
public enum PeerSelection : byte
{
    Reject = 0,
    Falseticker = 1,
    Excess = 2,
    Outlier = 3,
    Candidate = 4,
    Backup = 5,
    SystemPeer = 6,
    PpsPeer = 7,
}

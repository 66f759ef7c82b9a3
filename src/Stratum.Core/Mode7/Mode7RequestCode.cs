// Mode7RequestCode: the request numbers of ntpd 4.2.8's private mode 7 protocol (ntp_request.h
// REQ_*), the subset Stratum's ntpdc sends and its daemon answers, plus the numbers it must
// recognise in order to refuse them (monlist). Values are wire values.
namespace Stratum.Core.Mode7;

/// <summary>Mode 7 request codes (REQ_*).</summary>
public enum Mode7RequestCode : byte
{
    PeerList = 0,
    PeerListSummary = 1,
    PeerInfo = 2,
    PeerStats = 3,
    SystemInfo = 4,
    SystemStats = 5,
    IoStats = 6,
    MemoryStats = 7,
    LoopInfo = 8,
    TimerStats = 9,
    /// <summary>REQ_MON_GETLIST: never answered (reflection amplifier).</summary>
    MonitorList = 20,
    /// <summary>REQ_MON_GETLIST_1: never answered (reflection amplifier).</summary>
    MonitorList1 = 42,
    GetKernel = 38,
    InterfaceStats = 44,
}

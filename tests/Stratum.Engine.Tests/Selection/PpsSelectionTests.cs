// ntpd's PPS rule in clock selection: a pulse-per-second clock takes part in the intersection but not in
// clustering; beside a surviving prefer peer, with the combined offset within 0.4 s, it becomes the system
// peer (its offset and jitter the system's) and the prefer peer is named as its companion; without a prefer
// peer, outside the intersection, or with the clock 0.4 s off, it is not used.
using Stratum.Core.Wire;
using Stratum.Engine.Selection;

namespace Stratum.Engine.Tests.Selection;

public class PpsSelectionTests
{
    private static SelectionCandidate Server(int id, double offset, bool prefer = false) =>
        new(id, offset, 0.0002, 0.0001, 0.00005, 0.001, 0.001, 1, LeapIndicator.NoWarning, 0, true, prefer);

    private static SelectionCandidate Pps(int id, double offset) =>
        new(id, offset, 0.000001, 0.000001, 0.000002, 0, 0, 0, LeapIndicator.NoWarning, 0) { IsPps = true };

    [Fact]
    public void BesideAPreferPeer_ThePpsClockIsTheSystemPeer()
    {
        SelectionResult result = new ClockSelector().Select([Server(1, 0.0003, prefer: true), Server(2, 0.0001), Pps(3, 0.000020)], now: 0);
        Assert.Equal(3, result.SystemPeerId);
        Assert.Equal(SystemPeerChoice.Pps, result.Choice);
        Assert.Equal(1, result.PpsCompanionId);
        Assert.Equal(0.000020, result.Offset, 9);
        Assert.DoesNotContain(result.Survivors, c => c.Id == 3);
    }

    [Fact]
    public void WithoutAPreferPeer_ThePpsClockIsNotUsed()
    {
        SelectionResult result = new ClockSelector().Select([Server(1, 0.0003), Server(2, 0.0001), Pps(3, 0.000020)], now: 0);
        Assert.NotEqual(3, result.SystemPeerId);
        Assert.NotEqual(SystemPeerChoice.Pps, result.Choice);
        Assert.Null(result.PpsCompanionId);
    }

    [Fact]
    public void FarFromTheTruechimers_OrWithTheClockHalfASecondOff_ThePpsClockIsNotUsed()
    {
        // A pulse 0.3 s from both servers: outside the intersection, a falseticker.
        SelectionResult falseticker = new ClockSelector().Select([Server(1, 0.0003, prefer: true), Server(2, 0.0001), Pps(3, 0.3)], now: 0);
        Assert.Equal(1, falseticker.SystemPeerId);
        Assert.Equal(RejectionReason.Falseticker, falseticker.ReasonFor(3));

        // The servers say the clock is 0.45 s off: a pulse cannot tell which second it marks.
        SelectionResult far = new ClockSelector().Select([Server(1, 0.45, prefer: true), Server(2, 0.4502), Pps(3, 0.45)], now: 0);
        Assert.Equal(1, far.SystemPeerId);
        Assert.NotEqual(SystemPeerChoice.Pps, far.Choice);
    }
}

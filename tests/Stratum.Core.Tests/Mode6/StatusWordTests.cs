// System and peer status words: the bit layouts of ntp_control.h, checked against values seen in
// real ntpq output ("0615 leap_none, sync_ntp, 1 event, clock_sync"; "961a" sys.peer).
using Stratum.Core.Mode6;
using Stratum.Core.Wire;

namespace Stratum.Core.Tests.Mode6;

public class StatusWordTests
{
    [Fact]
    public void SystemStatus_0615_IsLeapNoneNtpOneEventClockSync()
    {
        SystemStatusWord word = SystemStatusWord.Decode(0x0615);
        Assert.Equal(new SystemStatusWord(LeapIndicator.NoWarning, SystemStatusWord.SourceNtp, 1, SystemStatusWord.EventClockSync), word);
        Assert.Equal(0x0615, word.Encode());
    }

    [Fact]
    public void SystemStatus_C016_IsAlarmUnspecifiedRestart()
    {
        var word = new SystemStatusWord(LeapIndicator.Unsynchronized, SystemStatusWord.SourceUnspecified, 1, SystemStatusWord.EventRestart);
        Assert.Equal(0xC016, word.Encode());
    }

    [Fact]
    public void PeerStatus_961a_IsConfiguredReachableSystemPeer()
    {
        PeerStatusWord word = PeerStatusWord.Decode(0x961a);
        Assert.True(word.Configured);
        Assert.True(word.Reachable);
        Assert.False(word.AuthenticationEnabled);
        Assert.False(word.Authentic);
        Assert.False(word.Broadcast);
        Assert.Equal(PeerSelection.SystemPeer, word.Selection);
        Assert.Equal(1, word.EventCount);
        Assert.Equal(PeerStatusWord.EventSystemPeer, word.EventCode);
        Assert.Equal(0x961a, word.Encode());
    }

    [Theory]
    [InlineData(0xF7FF)]
    [InlineData(0x0000)]
    [InlineData(0x8011)]
    [InlineData(0xC02C)]
    public void PeerStatus_EncodeDecode_RoundTrips(int status) =>
        Assert.Equal((ushort)status, PeerStatusWord.Decode((ushort)status).Encode());
}

// ntpdate setting the clock, on the fake clock driver only: -b steps, small offsets slew (with
// ntpdate's 50% overshoot, at most 1/16 s), offsets of 0.5 s or more step, -B always slews, -d
// never touches the clock, and a refused write (EPERM) exits 1 with libntp's wording.
using Stratum.Platform.Clock;

namespace Stratum.Cli.Tests.Ntpdate;

public class NtpdateClockTests
{
    [Fact]
    public void AlwaysStep_SmallOffset_StepsTheClock()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.1 });

        var (exit, stdout, stderr) = world.Run("-b", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Equal("23 Nov 07:40:06 ntpdate[4242]: step time server 127.0.0.20 offset +0.100000 sec\n", stdout);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0.1, Assert.Single(world.Clock.Steps), 6);
        Assert.Empty(world.Clock.Slews);
    }

    [Fact]
    public void Default_SmallOffset_SlewsWithOvershoot()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.1 });

        var (exit, stdout, _) = world.Run("127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Equal("23 Nov 07:40:06 ntpdate[4242]: adjust time server 127.0.0.20 offset +0.100000 sec\n", stdout);
        Assert.Equal(0.15, Assert.Single(world.Clock.Slews), 6);
        Assert.Empty(world.Clock.Steps);
        Assert.Equal(4, world.Network!.Requests["127.0.0.20"].Count);
    }

    [Fact]
    public void Default_NegativeOffset_OvershootCappedAtOneSixteenth()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = -0.4 });

        var (exit, _, _) = world.Run("127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Equal(-0.4625, Assert.Single(world.Clock.Slews), 6);
    }

    [Fact]
    public void Default_OffsetOverHalfSecond_Steps()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20")).WithLocalClockError(-2.5);

        var (exit, stdout, _) = world.Run("127.0.0.20");

        Assert.Equal(0, exit);

        // The log stamp is read after the step, so it shows the corrected time.
        Assert.Equal("23 Nov 07:40:06 ntpdate[4242]: step time server 127.0.0.20 offset +2.500000 sec\n", stdout);
        Assert.Equal(2.5, Assert.Single(world.Clock.Steps), 6);
        Assert.Equal(0, world.Clock.ErrorNanoseconds / 1_000_000);
    }

    [Fact]
    public void NeverStep_LargeOffset_Slews()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20")).WithLocalClockError(-2.5);

        var (exit, stdout, _) = world.Run("-B", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Equal("23 Nov 07:40:03 ntpdate[4242]: adjust time server 127.0.0.20 offset +2.500000 sec\n", stdout);
        Assert.Equal(2.5625, Assert.Single(world.Clock.Slews), 6);
        Assert.Empty(world.Clock.Steps);
    }

    [Fact]
    public void BundledStepAndUnprivileged_StepsFromUnprivilegedPort()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.01 });

        var (exit, _, _) = world.Run("-bu", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Single(world.Clock.Steps);
        Assert.False(world.OpenRequest!.BindNtpPort);
    }

    [Fact]
    public void LastOfStepAndSlewFlagsWins()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.01 });

        world.Run("-b", "-B", "127.0.0.20");

        Assert.Empty(world.Clock.Steps);
        Assert.Single(world.Clock.Slews);
    }

    [Fact]
    public void Debug_NeverTouchesTheClock()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20")).WithLocalClockError(-2.5);

        var (exit, stdout, _) = world.Run("-d", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Contains("ntpdate[4242]: step time server 127.0.0.20 offset +2.500000 sec\n", stdout);
        Assert.Empty(world.Clock.Steps);
        Assert.Empty(world.Clock.Slews);
    }

    [Fact]
    public void StepRefused_ExitsOneWithStepSystime()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20")).WithLocalClockError(-2.5);
        world.Clock.RefuseWith = ClockWriteOutcome.PermissionDenied;

        var (exit, stdout, stderr) = world.Run("127.0.0.20");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("23 Nov 07:40:03 ntpdate[4242]: step-systime: Operation not permitted\n", stderr);
    }

    [Fact]
    public void SlewRefused_ExitsOneWithCantAdjust()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.1 });
        world.Clock.RefuseWith = ClockWriteOutcome.PermissionDenied;

        var (exit, stdout, stderr) = world.Run("127.0.0.20");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("23 Nov 07:40:06 ntpdate[4242]: Can't adjust the time of day: Operation not permitted\n", stderr);
    }
}

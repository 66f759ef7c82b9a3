// Leap smear (`leapsmearinterval W`): the window ends at the announced leap (the month's end) and lies on
// the monotonic clock; the served offset follows -Δ(1 - cos πx)/2; the kernel's step of the real clock
// does not restart the smear; a withdrawn announcement cancels a window not yet begun; the reply carries
// the offset in its times, a refid 254.x.y.z, and no leap warning.
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.SystemState;

public class LeapSmearTests
{
    private const long Second = LoopTime.NanosecondsPerSecond;

    // 2026-12-31 22:00:00 UTC minus `before` seconds, on a monotonic clock reading 1000 s.
    private static LoopTime HoursBeforeTheLeap(double hours, long mono = 1000 * Second)
    {
        long leap = (long)(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalSeconds;
        return new LoopTime(mono, NtpTimestamp.FromUnixNanoseconds((leap * Second) - (long)(hours * 3600 * Second)));
    }

    [Fact]
    public void Window_EndsAtTheMonthsEnd_OnTheMonotonicClock()
    {
        var smear = new LeapSmear(7200);
        smear.Update(LeapIndicator.InsertSecond, HoursBeforeTheLeap(5));
        LeapSmearWindow window = Assert.IsType<LeapSmearWindow>(smear.Window);
        Assert.Equal((1000 + (3 * 3600)) * Second, window.StartMono);
        Assert.Equal((1000 + (5 * 3600)) * Second, window.EndMono);
        Assert.Equal(1, window.Direction);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.25, -0.1464466)]
    [InlineData(0.5, -0.5)]
    [InlineData(0.75, -0.8535534)]
    [InlineData(0.999999, -1.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(-0.01, 0.0)]
    public void Offset_FollowsTheCosine_AndStopsAtTheLeap(double progress, double expected)
    {
        var window = new LeapSmearWindow(100 * Second, 7200, 1);
        Assert.Equal(expected, window.OffsetAt((100 * Second) + (long)(progress * 7200 * Second)), 6);
        Assert.Equal(-expected, (window with { Direction = -1 }).OffsetAt((100 * Second) + (long)(progress * 7200 * Second)), 6);
    }

    [Fact]
    public void TheKernelsStep_DoesNotMoveARunningWindow()
    {
        var smear = new LeapSmear(7200);
        smear.Update(LeapIndicator.InsertSecond, HoursBeforeTheLeap(1.5));
        LeapSmearWindow planned = smear.Window!.Value;
        // Half an hour later, real time repeats a second (as after the kernel's step) while monotonic time runs on.
        LoopTime later = HoursBeforeTheLeap(1, 1000 * Second + (1800 * Second));
        smear.Update(LeapIndicator.InsertSecond, new LoopTime(later.Mono, later.Real - NtpDuration.FromSeconds(1)));
        Assert.Equal(planned, smear.Window);
    }

    [Fact]
    public void BeforeItStarts_TheWindowFollowsTheDisciplinedClock_AndAWithdrawnLeapCancelsIt()
    {
        var smear = new LeapSmear(3600);
        smear.Update(LeapIndicator.InsertSecond, HoursBeforeTheLeap(3));
        long first = smear.Window!.Value.StartMono;
        // 10 ms slewed into real time against monotonic time: the window's start moves with it.
        LoopTime slewed = HoursBeforeTheLeap(2, (1000 * Second) + (3600 * Second));
        smear.Update(LeapIndicator.InsertSecond, new LoopTime(slewed.Mono, slewed.Real + NtpDuration.FromSeconds(0.010)));
        Assert.Equal(first - (10 * 1_000_000L), smear.Window!.Value.StartMono);
        smear.Update(LeapIndicator.NoWarning, slewed);
        Assert.Null(smear.Window);
    }

    [Fact]
    public void AfterTheLeap_NothingIsPlanned()
    {
        var smear = new LeapSmear(7200);
        LoopTime start = HoursBeforeTheLeap(1);
        smear.Update(LeapIndicator.InsertSecond, start);
        Assert.NotNull(smear.Window);
        // Past the window's end (monotonic), with the announcement still set for a moment: the next month's end is far.
        smear.Update(LeapIndicator.InsertSecond, new LoopTime(start.Mono + (3601 * Second), start.Real + NtpDuration.FromSeconds(3600)));
        Assert.True(smear.Window is null || smear.Window.Value.StartMono > start.Mono + (86400 * Second));
    }

    [Theory]
    [InlineData(-0.5, 0xFEE00000u)]
    [InlineData(0.5, 0xFE200000u)]
    [InlineData(-1.0, 0xFEC00000u)]
    [InlineData(0.0, 0xFE000000u)]
    public void ReferenceId_Is254AndTheOffsetIn2Point22Bits(double offset, uint expected) =>
        Assert.Equal(expected, LeapSmear.ReferenceIdFor(offset).Value);

    [Fact]
    public void Reply_DuringTheSmear_CarriesTheOffset_AndNoLeapWarning()
    {
        var clock = new EngineTestClock();
        var system = new SystemVariables(-24) { LeapSmearInterval = 7200 };
        system.Update(LeapIndicator.InsertSecond, 2, ReferenceId.FromAscii("GPS"), 0, 0.001, clock.Now, "x");
        long mono = 5000 * Second;
        system.LeapSmearWindow = new LeapSmearWindow(mono - (3600 * Second), 7200, 1);
        var server = new ServerResponder(system);
        var request = new byte[48];
        request[0] = (4 << 3) | 3;
        NtpTimestamp receive = NtpTimestamp.FromParts(0xeeadf1fb, 0);
        var reply = new byte[64];
        Assert.Equal(ServerDecision.Reply, server.Respond(request, receive, mono / 1e9, reply, out _));
        NtpHeader header = NtpHeader.Read(reply);
        Assert.Equal(LeapIndicator.NoWarning, header.Leap);
        Assert.Equal(-0.5, (header.ReceiveTime - receive).TotalSeconds, 6);
        Assert.Equal(-0.5, (header.ReferenceTime - system.ReferenceTime).TotalSeconds, 6);
        Assert.Equal(0xFEE00000u, header.ReferenceId.Value);
        Assert.InRange(server.ReplyTransmitOffsetNanoseconds, -500_000_001L, -499_999_999L);

        // Outside the window: the plain reply, still without the warning.
        system.LeapSmearWindow = null;
        Assert.Equal(ServerDecision.Reply, server.Respond(request, receive, mono / 1e9, reply, out _));
        header = NtpHeader.Read(reply);
        Assert.Equal(receive.Raw | 1, header.ReceiveTime.Raw);
        Assert.Equal(LeapIndicator.NoWarning, header.Leap);
        Assert.Equal(0, server.ReplyTransmitOffsetNanoseconds);
    }
}

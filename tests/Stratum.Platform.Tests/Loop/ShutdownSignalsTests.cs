// ShutdownSignals with a real EventLoop in this process (no sockets, a 1 s poll): SIGTERM sent to the
// loop thread while it waits ends the loop within milliseconds (EINTR, then 1 ms polls until .NET's
// callback has set the flag); SIGTERM that lands while the loop is busy, with our callback delayed
// until the loop waits again (a handler registered after ours runs first and sleeps), ends it
// through the callback's tgkill to the loop thread, not after the 1 s poll. The signals go to the
// loop thread only (tgkill), and our registration, which cancels their default action, stays until
// they have been handled. Also: struct sigaction's size, and RequestStop through an eventfd.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Stratum.Engine;
using Stratum.Platform.Clock;
using Stratum.Platform.Interop;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Loop;

[Collection(nameof(ShutdownSignalsTests))] // one test at a time sends signals in this process
public sealed class ShutdownSignalsTests
{
    [Fact]
    public void SignalAction_MatchesGlibcStructSigaction() => Assert.Equal(152, Unsafe.SizeOf<SignalAction>());

    [Fact]
    public void Run_SigtermToTheWaitingLoopThread_StopsWithinMilliseconds()
    {
        using ShutdownSignals signals = ShutdownSignals.Register();
        var handler = new Handler();
        using var loop = new LoopThread(signals, handler);
        Thread.Sleep(100); // the loop now waits in a poll() of 1 s
        var watch = Stopwatch.StartNew();
        Assert.Equal(0, ThreadSignalCalls.TgKill(Environment.ProcessId, loop.ThreadId, SignalActionCall.SIGTERM));
        Assert.True(loop.Join(TimeSpan.FromSeconds(3)), "the loop did not stop");
        Assert.Equal(15, loop.StopSignal);
        Assert.True(watch.ElapsedMilliseconds < 250, $"stopped {watch.ElapsedMilliseconds} ms after SIGTERM");
    }

    [Fact]
    public void Run_SigtermWhileBusyAndFlagLate_CallbackInterruptsTheWait()
    {
        using ShutdownSignals signals = ShutdownSignals.Register();
        // Runs before our callback (the runtime calls the latest registration first) and holds it back
        // until the loop, which the signal did not interrupt, waits in poll() again.
        using var delay = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Thread.Sleep(100));
        var handler = new Handler { BusyFirstTimer = true };
        using var loop = new LoopThread(signals, handler);
        Assert.True(handler.Busy.Wait(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken), "the first timer did not run");
        var watch = Stopwatch.StartNew();
        Assert.Equal(0, ThreadSignalCalls.TgKill(Environment.ProcessId, loop.ThreadId, SignalActionCall.SIGTERM));
        handler.Release.Set(); // the timer returns; the loop waits for 1 s, its flag still unset
        Assert.True(loop.Join(TimeSpan.FromSeconds(3)), "the loop did not stop");
        Assert.Equal(15, loop.StopSignal);
        Assert.True(watch.ElapsedMilliseconds < 600, $"stopped {watch.ElapsedMilliseconds} ms after SIGTERM (the poll lasts 1000 ms)");
    }

    [Fact]
    public void RequestStop_WithWakeup_WakesALoopOnAnotherThread()
    {
        using ShutdownSignals signals = ShutdownSignals.WithWakeup();
        Assert.True(signals.WakeFd >= 0);
        using var loop = new LoopThread(signals, new Handler());
        Thread.Sleep(100);
        var watch = Stopwatch.StartNew();
        signals.RequestStop(15);
        Assert.True(loop.Join(TimeSpan.FromSeconds(3)), "the loop did not stop");
        Assert.True(watch.ElapsedMilliseconds < 250, $"stopped {watch.ElapsedMilliseconds} ms after RequestStop");
    }

    // A loop with no sockets: one timer at once, then none (each wait is the 1 s cap).
    private sealed class Handler : IEventLoopHandler
    {
        public bool BusyFirstTimer { get; init; }

        public ManualResetEventSlim Busy { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public long OnStart(LoopTime now) => now.Mono;

        public long OnTimer(LoopTime now)
        {
            if (BusyFirstTimer && !Busy.IsSet)
            {
                Busy.Set();
                while (!Release.IsSet)
                {
                    Thread.SpinWait(100); // busy: a signal now finds no poll() to interrupt
                }
            }

            return long.MaxValue;
        }

        public void OnReadable(UdpSocket socket)
        {
        }

        public void OnReload(LoopTime now)
        {
        }
    }

    // EventLoop.Run on its own thread; Dispose waits until signals still in flight have been handled.
    private sealed class LoopThread : IDisposable
    {
        private readonly Thread _thread;
        private readonly ManualResetEventSlim _started = new();

        public LoopThread(ShutdownSignals signals, IEventLoopHandler handler)
        {
            _thread = new Thread(() =>
            {
                ThreadId = ThreadSignalCalls.GetTid();
                _started.Set();
                StopSignal = new EventLoop(new ObserveOnlyClockDriver(), [], handler, signals).Run();
            }) { IsBackground = true };
            _thread.Start();
            Assert.True(_started.Wait(TimeSpan.FromSeconds(3)));
        }

        public int ThreadId { get; private set; }

        public int StopSignal { get; private set; }

        public bool Join(TimeSpan timeout) => _thread.Join(timeout);

        public void Dispose() => Thread.Sleep(300);
    }
}

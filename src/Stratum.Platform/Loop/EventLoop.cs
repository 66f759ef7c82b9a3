// EventLoop: ntpd's single thread (ARCHITECTURE.md §4): earliest deadline from CLOCK_MONOTONIC →
// poll() with that timeout (ms rounded up, at most 1 s) → hand ready sockets to the handler → run
// due timers → repeat, until a stop signal.
// Stopping promptly with no wake-up fd (a simulator's poll() knows only its own sockets): the signal
// interrupts poll() (EINTR) and .NET sets the flag a moment later, so after EINTR the loop polls in
// 1 ms steps (up to 100 ms) until it does; a stop signal that came while the loop was busy is sent
// again to this thread by ShutdownSignals. With --server-threads every loop also polls its flag's
// eventfd (a stop, or a datagram an extra loop handed to the main loop): the loop reads it empty and
// calls the handler's OnWakeup.
using Stratum.Core.Time;
using Stratum.Engine;
using Stratum.Platform.Clock;
using Stratum.Platform.Interop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Loop;

/// <summary>The poll() loop over the daemon's sockets and timers.</summary>
public sealed unsafe class EventLoop
{
    private const int MaxWaitMilliseconds = 1000;

    /// <summary>poll() timeout while a signal's flag may still be on its way (after EINTR).</summary>
    private const int SignalSettleStepMilliseconds = 1;

    /// <summary>How long after EINTR the loop keeps polling in such short steps.</summary>
    private const long SignalSettleNanoseconds = 100_000_000;

    private readonly IClockDriver _clock;
    private readonly IReadOnlyList<UdpSocket> _sockets;
    private readonly IEventLoopHandler _handler;
    private readonly ShutdownSignals _signals;

    public EventLoop(IClockDriver clock, IReadOnlyList<UdpSocket> sockets, IEventLoopHandler handler, ShutdownSignals signals)
    {
        _clock = clock;
        _sockets = sockets;
        _handler = handler;
        _signals = signals;
    }

    /// <summary>The loop's latest realtime reading (Unix ns), for log stamps on this thread.</summary>
    public long LastRealtime { get; private set; }

    public LoopTime Now()
    {
        long mono = _clock.ReadMonotonicNanoseconds();
        long real = _clock.ReadRealtimeNanoseconds();
        LastRealtime = real;
        return new LoopTime(mono, NtpTimestamp.FromUnixNanoseconds(real));
    }

    // The sockets, then the stop flag's eventfd when it has one.
    private PollDescriptor[] Describe()
    {
        int wakeFd = _signals.WakeFd;
        var descriptors = new PollDescriptor[_sockets.Count + (wakeFd >= 0 ? 1 : 0)];
        for (int i = 0; i < _sockets.Count; i++)
        {
            descriptors[i] = new PollDescriptor { Fd = _sockets[i].FileDescriptor, Events = Libc.POLLIN };
        }

        if (wakeFd >= 0)
        {
            descriptors[^1] = new PollDescriptor { Fd = wakeFd, Events = Libc.POLLIN };
        }

        return descriptors;
    }

    /// <summary>Runs until a stop signal; returns its number.</summary>
    public int Run()
    {
        PollDescriptor[] descriptors = Describe();
        int socketsVersion = _handler.SocketsVersion;
        long deadline = _handler.OnStart(Now());
        long settleUntil = long.MinValue;
        int threadId = ThreadSignalCalls.GetTid();
        while (_signals.StopSignal == 0)
        {
            if (_handler.SocketsVersion != socketsVersion)
            {
                // Associations came or went (a pool or host name resolved, ntpq :config): poll the new
                // socket set, and run the timers now so a new association sends its first poll at once.
                socketsVersion = _handler.SocketsVersion;
                descriptors = Describe();
                deadline = Math.Min(deadline, _clock.ReadMonotonicNanoseconds());
            }

            if (_signals.TakeReload())
            {
                settleUntil = long.MinValue;
                _handler.OnReload(Now());
            }

            deadline = Math.Min(deadline, _handler.WakeDeadline);
            long mono = _clock.ReadMonotonicNanoseconds();
            int timeout = deadline == long.MaxValue
                ? MaxWaitMilliseconds
                : (int)Math.Clamp((deadline - mono + 999_999) / 1_000_000, 0, MaxWaitMilliseconds);
            bool settling = mono < settleUntil;
            if (settling)
            {
                timeout = Math.Min(timeout, SignalSettleStepMilliseconds);
            }
            else
            {
                // A normal wait: a stop flag set from now on interrupts it (ShutdownSignals), and one
                // set before is seen here.
                _signals.EnterWait(threadId);
                if (_signals.StopSignal != 0)
                {
                    _signals.LeaveWait();
                    break;
                }
            }

            int ready;
            fixed (PollDescriptor* pointer = descriptors)
            {
                ready = PollCall.Poll(pointer, (nuint)descriptors.Length, timeout);
            }

            if (!settling)
            {
                _signals.LeaveWait();
            }

            if (ready < 0 && Libc.LastError == Libc.EINTR)
            {
                // A signal reached this thread; its flag (stop or reload) follows from .NET's signal
                // thread within about a millisecond. Poll briefly until it does.
                settleUntil = _clock.ReadMonotonicNanoseconds() + SignalSettleNanoseconds;
            }
            else if (ready > 0)
            {
                // The socket entries as described (a handler may add sockets meanwhile); the eventfd,
                // if any, is last: read empty first, so a wake-up that comes while the handler works
                // makes the next poll() return at once.
                bool hasWakeFd = _signals.WakeFd >= 0;
                int socketEntries = descriptors.Length - (hasWakeFd ? 1 : 0);
                if (hasWakeFd && descriptors[^1].ReturnedEvents != 0)
                {
                    descriptors[^1].ReturnedEvents = 0;
                    _signals.TakeWakeup();
                    _handler.OnWakeup();
                }

                for (int i = 0; i < socketEntries; i++)
                {
                    if (descriptors[i].ReturnedEvents != 0)
                    {
                        descriptors[i].ReturnedEvents = 0;
                        _handler.OnReadable(_sockets[i]);
                    }
                }
            }

            if (deadline != long.MaxValue && _clock.ReadMonotonicNanoseconds() >= deadline)
            {
                deadline = _handler.OnTimer(Now());
            }
        }

        return _signals.StopSignal;
    }
}

// EventLoop: ntpd's single thread (ARCHITECTURE.md §4): earliest deadline from CLOCK_MONOTONIC →
// poll() with that timeout (ms rounded up, at most 1 s, so signal flags are seen promptly) → hand
// ready sockets to the handler → run due timers → repeat, until a stop signal.
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

    private PollDescriptor[] Describe()
    {
        var descriptors = new PollDescriptor[_sockets.Count];
        for (int i = 0; i < descriptors.Length; i++)
        {
            descriptors[i] = new PollDescriptor { Fd = _sockets[i].FileDescriptor, Events = Libc.POLLIN };
        }

        return descriptors;
    }

    /// <summary>Runs until a stop signal; returns its number.</summary>
    public int Run()
    {
        PollDescriptor[] descriptors = Describe();
        int socketsVersion = _handler.SocketsVersion;
        long deadline = _handler.OnStart(Now());
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
                _handler.OnReload(Now());
            }

            deadline = Math.Min(deadline, _handler.WakeDeadline);
            long mono = _clock.ReadMonotonicNanoseconds();
            int timeout = deadline == long.MaxValue
                ? MaxWaitMilliseconds
                : (int)Math.Clamp((deadline - mono + 999_999) / 1_000_000, 0, MaxWaitMilliseconds);
            int ready;
            fixed (PollDescriptor* pointer = descriptors)
            {
                ready = PollCall.Poll(pointer, (nuint)descriptors.Length, timeout);
            }

            if (ready > 0)
            {
                for (int i = 0; i < descriptors.Length; i++)
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

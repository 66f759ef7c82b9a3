// IEventLoopHandler: what the event loop calls: readable sockets, due timers, stop and reload, and
// wake-ups by another thread (--server-threads).
using Stratum.Engine;
using Stratum.Platform.Net;

namespace Stratum.Platform.Loop;

/// <summary>Receives the event loop's events, on the loop thread.</summary>
public interface IEventLoopHandler
{
    /// <summary>Called once before the first wait; returns the first monotonic deadline.</summary>
    long OnStart(LoopTime now);

    /// <summary>A deadline passed; returns the next one (long.MaxValue for none).</summary>
    long OnTimer(LoopTime now);

    /// <summary><paramref name="socket"/> has datagrams; read them without blocking.</summary>
    void OnReadable(UdpSocket socket);

    /// <summary>SIGHUP arrived.</summary>
    void OnReload(LoopTime now);

    /// <summary>The loop's eventfd was written (ShutdownSignals.Wake): work handed over by another
    /// thread is waiting (--server-threads only).</summary>
    void OnWakeup()
    {
    }

    /// <summary>Changes whenever the handler's socket list changes, so the loop polls the new set.</summary>
    int SocketsVersion => 0;

    /// <summary>A deadline (monotonic ns) set while handling a readable socket, e.g. the end of a clock slew
    /// a reply started; the loop wakes for it even if it is earlier than what OnTimer returned.</summary>
    long WakeDeadline => long.MaxValue;
}

// SntpQueryRunner: the small driver that runs an SntpQueryEngine over an INtpTransport until every
// server is done. Single-threaded and synchronous: send what is due, then wait for a datagram until
// the engine's next deadline, then repeat. T1 is read just before each send and T4 by the transport
// just after each receive; everything else is the engine's. The random source supplies transmit
// cookies (a CSPRNG in the tools, seeded in tests).
using System.Security.Cryptography;
using Stratum.Client.Transport;
using Stratum.Core.Wire;

namespace Stratum.Client.Sntp;

/// <summary>Runs a query to completion over a transport.</summary>
public static class SntpQueryRunner
{
    /// <summary>A transmit cookie from the operating system's CSPRNG.</summary>
    public static ulong SecureRandomCookie()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    public static void Run(SntpQueryEngine engine, INtpTransport transport, SntpClock clock, Func<ulong> randomCookie, ISntpQueryObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(randomCookie);

        Span<byte> request = stackalloc byte[NtpHeader.Size + NtpPacket.MaxMacLength];
        request = request[..engine.RequestLength];
        byte[] receiveBuffer = new byte[NtpPacket.MaxLength + 4];
        while (true)
        {
            int index;
            while ((index = engine.NextTransmit(clock.ReadMonotonicNanoseconds())) >= 0)
            {
                ulong cookie = randomCookie();
                long origin = clock.ReadRealtimeNanoseconds();
                var header = engine.PrepareRequest(index, cookie, origin, clock.ReadMonotonicNanoseconds(), request);
                var error = transport.Send(request, engine.Servers[index].Endpoint);
                observer?.OnTransmit(engine.Servers[index], header, error);
            }

            if (engine.IsComplete)
            {
                return;
            }

            long wait = engine.NextDeadline - clock.ReadMonotonicNanoseconds();
            if (wait > 0 && transport.TryReceive(receiveBuffer, wait, out var datagram))
            {
                var reply = engine.OnDatagram(
                    receiveBuffer.AsSpan(0, datagram.Length),
                    datagram.Source,
                    datagram.ReceiveRealtimeNanoseconds,
                    clock.ReadMonotonicNanoseconds());
                observer?.OnReceive(datagram, reply);
            }
        }
    }
}

// SimulatedServer: a reference time server for the scenarios (docs/simulation.md "Node programs":
// `local stratum 1` with a perfect clock). It answers with the real Engine ServerResponder over real
// SystemVariables, stamped with its node's simulated clock; processing takes zero time, so the
// transmit stamp equals the receive stamp as in the reference simulator. Behaviours: the stratum it
// claims, a leap warning, and ServedOffsetSeconds, an offset added to every served timestamp (a
// falseticker whose own clock is right); a server whose clock itself is off or steps is made with
// NodeOptions.InitialOffsetSeconds or a scheduled Driver.Step. It re-anchors its reference time every
// 16 s so its root dispersion stays that of a freshly synchronized server.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;

namespace Stratum.Simulation.Nodes;

/// <summary>A stratum-N server answering mode 3 with mode 4 on its simulated clock.</summary>
public sealed class SimulatedServer : ISimulatedClient
{
    private const long ReferenceRefreshNanoseconds = 16 * LoopTime.NanosecondsPerSecond;

    private readonly SystemVariables _system;
    private readonly ServerResponder _responder;
    private readonly byte[] _reply = new byte[NtpPacket.MaxLength];
    private readonly byte _stratum;
    private readonly ReferenceId _referenceId;

    /// <param name="stratum">Stratum served (1: a local reference).</param>
    /// <param name="referenceId">Refid served; default "LOCL".</param>
    /// <param name="precision">log2 s of the served precision.</param>
    public SimulatedServer(byte stratum = 1, ReferenceId? referenceId = null, sbyte precision = -20)
    {
        _stratum = stratum;
        _referenceId = referenceId ?? ReferenceId.FromAscii("LOCL");
        _system = new SystemVariables(precision);
        _responder = new ServerResponder(_system);
    }

    /// <summary>Offset added to every served timestamp, seconds (a falseticker: +0.005).</summary>
    public double ServedOffsetSeconds { get; set; }

    /// <summary>Leap warning served.</summary>
    public LeapIndicator Leap { get; set; } = LeapIndicator.NoWarning;

    /// <summary>When false the server is silent (down).</summary>
    public bool Answering { get; set; } = true;

    public ServerCounters Counters => _responder.Counters;

    public long NextDeadline { get; private set; } = long.MaxValue;

    public void Start(SimContext context)
    {
        Refresh(context);
    }

    public void OnTimer(SimContext context)
    {
        Refresh(context);
    }

    public void OnDatagram(SimContext context, ReadOnlySpan<byte> datagram, IPEndPoint source, IPEndPoint destination, long receiveRealtimeNanoseconds)
    {
        if (!Answering)
        {
            return;
        }

        NtpDuration served = NtpDuration.FromSeconds(ServedOffsetSeconds);
        NtpTimestamp receiveTime = NtpTimestamp.FromUnixNanoseconds(receiveRealtimeNanoseconds) + served;
        ServerDecision decision = _responder.Respond(datagram, receiveTime, context.Clock.ReadMonotonicNanoseconds() / 1e9, _reply, out int length);
        if (decision != ServerDecision.Reply)
        {
            return;
        }

        // Zero processing time: the transmit stamp is this instant's clock reading, its lowest bit clear as the
        // daemon's host writes it (RFC 9769: receive timestamps are marked by that bit).
        NtpTimestamp transmitTime = NtpTimestamp.FromUnixNanoseconds(context.Clock.ReadRealtimeNanoseconds()) + served;
        new NtpTimestamp(transmitTime.Raw & ~1UL).Write(_reply.AsSpan(NtpHeader.TransmitTimeOffset));
        context.Send(source, _reply.AsSpan(0, length));
    }

    private void Refresh(SimContext context)
    {
        LoopTime now = context.Now;
        var real = new LoopTime(now.Mono, now.Real + NtpDuration.FromSeconds(ServedOffsetSeconds));
        _system.Update(Leap, _stratum, _referenceId, 0, 0, real, _referenceId.ToString());
        NextDeadline = now.Mono + ReferenceRefreshNanoseconds;
    }
}

// SteppingReferenceClient: an example client that "disciplines" by brute force: it polls like the
// SNTP reference client and steps its clock by each measured offset beyond a threshold. It exists to
// check that clock writes flow through SimulatedClockDriver and show up in the error log; it is not
// the real discipline (that is the Engine's, wired in later through ISimulatedClient).
using System.Net;

namespace Stratum.Simulation.Nodes;

/// <summary>Steps the clock to each measured offset.</summary>
public sealed class SteppingReferenceClient : ISimulatedClient
{
    private readonly SntpReferenceClient _sntp;
    private readonly double _stepThresholdSeconds;

    /// <param name="server">The server's NTP endpoint.</param>
    /// <param name="pollIntervalSeconds">Seconds between requests.</param>
    /// <param name="stepThresholdSeconds">Offsets at or below this magnitude are left alone.</param>
    public SteppingReferenceClient(IPEndPoint server, double pollIntervalSeconds = 64, double stepThresholdSeconds = 0)
    {
        _stepThresholdSeconds = stepThresholdSeconds;
        _sntp = new SntpReferenceClient(server, pollIntervalSeconds, StepIfNeeded);
    }

    public IReadOnlyList<SntpMeasurement> Measurements => _sntp.Measurements;

    public int Steps { get; private set; }

    public long NextDeadline => _sntp.NextDeadline;

    public void Start(SimContext context) => _sntp.Start(context);

    public void OnTimer(SimContext context) => _sntp.OnTimer(context);

    public void OnDatagram(SimContext context, ReadOnlySpan<byte> datagram, IPEndPoint source, IPEndPoint destination, long receiveRealtimeNanoseconds) =>
        _sntp.OnDatagram(context, datagram, source, destination, receiveRealtimeNanoseconds);

    private void StepIfNeeded(SimContext context, SntpMeasurement measurement)
    {
        if (Math.Abs(measurement.OffsetSeconds) > _stepThresholdSeconds)
        {
            context.Clock.Step(measurement.OffsetSeconds);
            Steps++;
        }
    }
}

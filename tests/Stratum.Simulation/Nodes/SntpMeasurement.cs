// SntpMeasurement: one client/server exchange as the reference SNTP client saw it (RFC 5905 §8
// on-wire: offset θ = ((T2 − T1) + (T3 − T4)) / 2, delay δ = (T4 − T1) − (T3 − T2)).
namespace Stratum.Simulation.Nodes;

/// <summary>One measured exchange.</summary>
/// <param name="ServerIndex">Which of the client's servers answered.</param>
/// <param name="LocalUnixSeconds">T4 on the client's clock, Unix seconds.</param>
/// <param name="OffsetSeconds">θ: server clock minus client clock.</param>
/// <param name="DelaySeconds">δ: round-trip delay.</param>
public readonly record struct SntpMeasurement(int ServerIndex, double LocalUnixSeconds, double OffsetSeconds, double DelaySeconds);

// CombinedOffset: the output of RFC 5905 §11.2.3's combine algorithm (system offset Θ, selection jitter
// ϑ_s, system jitter ϑ).
namespace Stratum.Engine.Selection;

/// <summary>The combined system offset and jitters.</summary>
/// <param name="Offset">Θ: weighted system offset, seconds.</param>
/// <param name="SelectionJitter">ϑ_s: weighted RMS of survivor offsets about the system peer, seconds.</param>
/// <param name="Jitter">ϑ: sqrt(ψ_p² + ϑ_s²), seconds.</param>
public readonly record struct CombinedOffset(double Offset, double SelectionJitter, double Jitter);

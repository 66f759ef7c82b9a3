// IntersectionInterval: the result of RFC 5905 §11.2.1's intersection: [low, high] agreed by n − f
// correctness intervals, f the number of falsetickers allowed.
namespace Stratum.Engine.Selection;

/// <summary>The outcome of the intersection: the interval and who agrees with it.</summary>
/// <param name="Found">False when no majority agrees (then everyone is a falseticker).</param>
/// <param name="Low">Lower end of the intersection interval, seconds.</param>
/// <param name="High">Upper end, seconds.</param>
/// <param name="Falsetickers">The number f of falsetickers allowed for the interval found.</param>
public readonly record struct IntersectionInterval(bool Found, double Low, double High, int Falsetickers);

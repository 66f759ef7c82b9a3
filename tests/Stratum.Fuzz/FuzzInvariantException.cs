// FuzzInvariantException: thrown by a target when a parse result breaks a property that must
// hold for every input (a re-encoded header differs, a diagnostic carries a control character).
// AFL records it as a crash like any other exception.
namespace Stratum.Fuzz;

/// <summary>A property of a parser's result did not hold.</summary>
internal sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException()
    {
    }

    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws with <paramref name="message"/> when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}

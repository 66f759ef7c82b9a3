// FuzzInvariantException: thrown by a target when a parse result breaks a property that must
// hold for every input (a re-encoded header differs, a diagnostic carries a control character).
// AFL records it as a crash like any other exception. Check's message is an interpolated string
// built only when the check fails (FailureMessageHandler): the targets check thousands of
// properties per input, and formatting each message eagerly cost more than the code under test.
using System.Runtime.CompilerServices;

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

    /// <summary>Throws when <paramref name="condition"/> is false, with <paramref name="message"/> formatted only then.</summary>
    public static void Check(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref FailureMessageHandler message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message.ToStringAndClear());
        }
    }
}

/// <summary>An interpolated message that formats its parts only when the check it belongs to failed.</summary>
[InterpolatedStringHandler]
internal ref struct FailureMessageHandler
{
    private DefaultInterpolatedStringHandler _message;

    public FailureMessageHandler(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        shouldAppend = !condition;
        _message = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _message.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _message.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _message.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => _message.AppendFormatted(value, alignment);

    public void AppendFormatted(string? value) => _message.AppendFormatted(value);

    public void AppendFormatted(ReadOnlySpan<char> value) => _message.AppendFormatted(value);

    public string ToStringAndClear() => _message.ToStringAndClear();
}

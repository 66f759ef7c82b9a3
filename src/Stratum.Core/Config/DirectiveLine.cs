// DirectiveLine: a cursor over the words of one config line, with the typed reads every
// directive needs (paths, integers and numbers in a range, 0/1 flags, -4/-6) and the wording of
// the matching diagnostics, so all directives report problems the same way:
//   directive 'driftfile' needs a file name
//   'minpoll' needs an integer from 3 to 17, not 'x'
//   unexpected 'x' at the end of the driftfile line
// A read that fails reports, consumes the bad word and returns false; parsing goes on.
using System.Globalization;

namespace Stratum.Core.Config;

/// <summary>The words of one directive line being parsed.</summary>
internal sealed class DirectiveLine
{
    private readonly IReadOnlyList<ConfigToken> _tokens;
    private readonly DiagnosticBag _diagnostics;
    private int _next = 1;

    public DirectiveLine(string file, int lineNumber, IReadOnlyList<ConfigToken> tokens, DiagnosticBag diagnostics)
    {
        File = file;
        LineNumber = lineNumber;
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    public string File { get; }

    public int LineNumber { get; }

    /// <summary>The first word: the directive keyword.</summary>
    public ConfigToken Directive => _tokens[0];

    public string Name => Directive.Text;

    public bool AtEnd => _next >= _tokens.Count;

    /// <summary>The next word without taking it; only valid when not <see cref="AtEnd"/>.</summary>
    public ConfigToken Peek() => _tokens[_next];

    public bool TryTake(out ConfigToken token)
    {
        if (AtEnd)
        {
            token = default;
            return false;
        }

        token = _tokens[_next++];
        return true;
    }

    public void SkipRest() => _next = _tokens.Count;

    public SourcePosition PositionOf(ConfigToken token) => new(File, LineNumber, token.Column);

    public void Error(ConfigToken at, string message) => _diagnostics.Error(PositionOf(at), message);

    public void Warning(ConfigToken at, string message) => _diagnostics.Warning(PositionOf(at), message);

    /// <summary>Takes the next word, or reports "directive 'NAME' needs WHAT" at the directive.</summary>
    public bool TryTakeArgument(string what, out ConfigToken argument)
    {
        if (TryTake(out argument) && argument.Text.Length > 0)
        {
            return true;
        }

        Error(Directive, $"directive {DiagnosticText.Quote(Name)} needs {what}");
        return false;
    }

    /// <summary>Reports "directive 'NAME' needs at least one option" when nothing follows the directive.</summary>
    public bool RequireOptions(string what = "at least one option")
    {
        if (!AtEnd)
        {
            return true;
        }

        Error(Directive, $"directive {DiagnosticText.Quote(Name)} needs {what}");
        return false;
    }

    /// <summary>
    /// Reports "unknown option 'x' for NAME" and skips a number right after it (most likely the
    /// unknown option's value), so one typo gives one error.
    /// </summary>
    public void ReportUnknownOption(ConfigToken option)
    {
        Error(option, $"unknown option {DiagnosticText.Quote(option.Text)} for {Name}");
        if (!AtEnd && double.TryParse(Peek().Text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            TryTake(out _);
        }
    }

    /// <summary>Reports the first word left on the line, if any, and skips the rest.</summary>
    public void ExpectEnd()
    {
        if (!AtEnd)
        {
            Error(Peek(), $"unexpected {DiagnosticText.Quote(Peek().Text)} at the end of the {Name} line");
            SkipRest();
        }
    }

    /// <summary>Takes "-4" or "-6" if it is the next word.</summary>
    public AddressFamilyHint TakeAddressFamilyFlag(out ConfigToken flag)
    {
        flag = default;
        if (AtEnd)
        {
            return AddressFamilyHint.Any;
        }

        AddressFamilyHint family = Peek().Text switch
        {
            "-4" => AddressFamilyHint.IPv4,
            "-6" => AddressFamilyHint.IPv6,
            _ => AddressFamilyHint.Any,
        };
        if (family != AddressFamilyHint.Any)
        {
            TryTake(out flag);
        }

        return family;
    }

    /// <summary>Takes the integer value of <paramref name="subject"/> (an option or the directive).</summary>
    public bool TryTakeInteger(ConfigToken subject, int min, int max, out int value)
    {
        string expected = $"{DiagnosticText.Quote(subject.Text)} needs an integer from {min} to {max}";
        if (!TryTake(out ConfigToken token))
        {
            Error(subject, expected);
            value = 0;
            return false;
        }

        if (int.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max)
        {
            return true;
        }

        Error(token, $"{expected}, not {DiagnosticText.Quote(token.Text)}");
        return false;
    }

    /// <summary>Takes the decimal value of <paramref name="subject"/>; NaN and infinities are refused.</summary>
    public bool TryTakeNumber(ConfigToken subject, double min, double max, out double value)
    {
        string expected = $"{DiagnosticText.Quote(subject.Text)} needs a number from "
            + $"{DiagnosticText.Number(min)} to {DiagnosticText.Number(max)}";
        if (!TryTake(out ConfigToken token))
        {
            Error(subject, expected);
            value = 0;
            return false;
        }

        if (double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value) && value >= min && value <= max)
        {
            return true;
        }

        Error(token, $"{expected}, not {DiagnosticText.Quote(token.Text)}");
        return false;
    }

    /// <summary>Takes a 0 or 1 value of <paramref name="subject"/> (fudge flags, tos cohort).</summary>
    public bool TryTakeBoolean(ConfigToken subject, out bool value)
    {
        string expected = $"{DiagnosticText.Quote(subject.Text)} needs 0 or 1";
        value = false;
        if (!TryTake(out ConfigToken token))
        {
            Error(subject, expected);
            return false;
        }

        switch (token.Text)
        {
            case "0":
                return true;
            case "1":
                value = true;
                return true;
            default:
                Error(token, $"{expected}, not {DiagnosticText.Quote(token.Text)}");
                return false;
        }
    }
}

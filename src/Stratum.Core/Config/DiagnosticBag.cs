// DiagnosticBag: collects config diagnostics in the order found. It is capped so hostile input
// (a huge file of garbage) cannot make the report itself huge: after Limit entries one last
// error says so and IsFull tells the parser to stop.
namespace Stratum.Core.Config;

/// <summary>The diagnostics of one parse.</summary>
internal sealed class DiagnosticBag
{
    /// <summary>Most diagnostics reported for one parse.</summary>
    public const int Limit = 1000;

    private readonly List<ConfigDiagnostic> _diagnostics = [];

    /// <summary>True when the limit is reached; the parser stops reading.</summary>
    public bool IsFull => _diagnostics.Count > Limit;

    public IReadOnlyList<ConfigDiagnostic> Items => _diagnostics.AsReadOnly();

    public void Error(SourcePosition position, string message) => Add(DiagnosticSeverity.Error, position, message);

    public void Warning(SourcePosition position, string message) => Add(DiagnosticSeverity.Warning, position, message);

    private void Add(DiagnosticSeverity severity, SourcePosition position, string message)
    {
        if (_diagnostics.Count < Limit)
        {
            _diagnostics.Add(new ConfigDiagnostic(severity, position.File, position.Line, position.Column, message));
        }
        else if (_diagnostics.Count == Limit)
        {
            _diagnostics.Add(new ConfigDiagnostic(
                DiagnosticSeverity.Error,
                position.File,
                position.Line,
                position.Column,
                $"too many problems; stopped after {Limit}"));
        }
    }
}

// IKeySource: where the line editor gets keys from: the console (ConsoleKeySource) in ntpq and
// ntpdc, a scripted list in tests. A source that runs out (false) is the end of input.
namespace Stratum.Client.Terminal;

/// <summary>Keys one at a time.</summary>
public interface IKeySource
{
    /// <summary>The next key; false at the end of input.</summary>
    bool TryReadKey(out ConsoleKeyInfo key);
}

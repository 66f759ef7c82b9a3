// ScriptedConsoleKeys: the keys a user types at ntpq's or ntpdc's prompt, for running the tools
// in-process as if stdin were a terminal (environment Keys): text, Enter, arrows, Ctrl+letter.
using Stratum.Client.Terminal;

namespace Stratum.Cli.Tests.Ntpq;

internal sealed class ScriptedConsoleKeys : IKeySource
{
    private readonly Queue<ConsoleKeyInfo> _keys = new();

    public static ConsoleKeyInfo Enter => new('\r', ConsoleKey.Enter, false, false, false);

    public static ConsoleKeyInfo Up => new('\0', ConsoleKey.UpArrow, false, false, false);

    public static ConsoleKeyInfo Left => new('\0', ConsoleKey.LeftArrow, false, false, false);

    public static ConsoleKeyInfo Ctrl(char letter) =>
        new((char)(char.ToUpperInvariant(letter) - 'A' + 1), ConsoleKey.A + (char.ToUpperInvariant(letter) - 'A'), false, false, true);

    public static ScriptedConsoleKeys Of(params object[] parts)
    {
        var keys = new ScriptedConsoleKeys();
        foreach (object part in parts)
        {
            if (part is string text)
            {
                foreach (char c in text)
                {
                    keys._keys.Enqueue(new ConsoleKeyInfo(c, ConsoleKey.NoName, false, false, false));
                }
            }
            else
            {
                keys._keys.Enqueue((ConsoleKeyInfo)part);
            }
        }

        return keys;
    }

    public bool TryReadKey(out ConsoleKeyInfo key) => _keys.TryDequeue(out key);
}

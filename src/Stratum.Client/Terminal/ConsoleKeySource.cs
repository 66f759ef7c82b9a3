// ConsoleKeySource: keys from the terminal through Console.ReadKey without echo (the editor echoes
// what it accepts). Only for a terminal: ForTerminal gives null when stdin is redirected, so pipes
// and files keep the plain ReadLine path. Ctrl-C is left to the runtime (TreatControlCAsInput is not
// touched): SIGINT ends the process, as it ends ntpq 4.2.8.
namespace Stratum.Client.Terminal;

/// <summary>Keys typed on the console.</summary>
public sealed class ConsoleKeySource : IKeySource
{
    private ConsoleKeySource()
    {
    }

    /// <summary>A key source when stdin is a terminal, else null.</summary>
    public static IKeySource? ForTerminal() => Console.IsInputRedirected ? null : new ConsoleKeySource();

    public bool TryReadKey(out ConsoleKeyInfo key)
    {
        try
        {
            key = Console.ReadKey(intercept: true);
            return true;
        }
        catch (InvalidOperationException)
        {
            // The console went away (stdin closed or redirected after all): end of input.
            key = default;
            return false;
        }
    }
}

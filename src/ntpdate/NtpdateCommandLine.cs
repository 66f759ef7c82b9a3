// NtpdateCommandLine: parses ntpdate's arguments with System.CommandLine (POSIX bundling on, so
// "-qu" and "-bu" work, and "-p4" as well as "-p 4") and validates the values with ntpdate 4.2.8's
// wording: "ntpdate: number of samples (9) is invalid", "ntpdate: timeout x is undecodeable",
// "ntpdate: encryption delay 2 is unlikely". Unknown options and missing values use getopt's
// "ntpdate: illegal option -- x" and "ntpdate: option requires an argument -- p". Any error means
// the usage line on stderr and exit code 2.
//
// Deviations: ntpdate accepts any -o value; we require 1..4 ("ntpdate: version 5 is invalid"). With
// no server argument ntpdate logs "no servers can be used, exiting" (exit 1); we print the usage
// (exit 2), as for any other command-line mistake.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net.Sockets;

namespace Stratum.Tools.Ntpdate;

/// <summary>ntpdate's command-line grammar.</summary>
internal static class NtpdateCommandLine
{
    private const string FlagLetters = "46bBdqsuv";
    private const string ValueLetters = "aekopt";

    public const string Usage =
        "usage: ntpdate [-46bBdqsuv] [-a key#] [-e delay] [-k file] [-p samples] [-o version#] [-t timeo] server ...";

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="errors"/> holds the lines to print before the usage.</summary>
    public static bool TryParse(string[] args, out NtpdateOptions options, out List<string> errors)
    {
        errors = [];
        options = new NtpdateOptions();
        if (FindGetoptError(args) is { } getoptError)
        {
            errors.Add(getoptError);
            return false;
        }

        var grammar = new Grammar();
        ParseResult parsed = grammar.Command.Parse(args, new ParserConfiguration { EnablePosixBundling = true, ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError error in parsed.Errors)
            {
                errors.Add(Describe(error, parsed));
            }

            return false;
        }

        var lastFamily = AddressFamily.Unspecified;
        bool alwaysStep = false;
        bool neverStep = false;
        foreach (Token token in parsed.Tokens)
        {
            switch (token.Value)
            {
                case "-4": lastFamily = AddressFamily.InterNetwork; break;
                case "-6": lastFamily = AddressFamily.InterNetworkV6; break;
                case "-b": alwaysStep = true; neverStep = false; break;
                case "-B": neverStep = true; alwaysStep = false; break;
            }
        }

        bool query = parsed.GetValue(grammar.Query);
        options = options with
        {
            Family = lastFamily,
            AlwaysStep = alwaysStep,
            NeverStep = neverStep,
            DebugLevel = parsed.GetResult(grammar.Debug)?.IdentifierTokenCount ?? 0,
            QueryOnly = query,
            UseSyslog = parsed.GetValue(grammar.Syslog),
            UnprivilegedPort = parsed.GetValue(grammar.Unprivileged),
            Verbose = parsed.GetValue(grammar.Verbose),
            Samples = query ? 1 : 4,
            Servers = parsed.GetValue(grammar.Servers) ?? [],
        };

        if (parsed.GetValue(grammar.AuthenticationKey) is { } key)
        {
            options = options with { AuthenticationKey = unchecked((uint)AtoI(key)) };
        }

        if (parsed.GetValue(grammar.AuthenticationDelay) is { } delayText)
        {
            if (!TryParseSeconds(delayText, out double delay) || delay >= 1.0)
            {
                errors.Add($"ntpdate: encryption delay {delayText} is unlikely");
            }
            else
            {
                options = options with { AuthenticationDelayFraction = FractionOfSecond(delayText) };
            }
        }

        if (parsed.GetValue(grammar.KeyFile) is { } keyFile)
        {
            options = options with { KeyFile = keyFile };
        }

        if (parsed.GetValue(grammar.Version) is { } versionText)
        {
            int version = AtoI(versionText);
            if (version is < 1 or > 4)
            {
                errors.Add($"ntpdate: version {versionText} is invalid");
            }
            else
            {
                options = options with { Version = (byte)version };
            }
        }

        if (parsed.GetValue(grammar.Samples) is { } samplesText)
        {
            int samples = AtoI(samplesText);
            if (samples is <= 0 or > Client.Sntp.SampleFilter.MaxSamples)
            {
                errors.Add($"ntpdate: number of samples ({samples}) is invalid");
            }
            else
            {
                options = options with { Samples = samples };
            }
        }

        if (parsed.GetValue(grammar.Timeout) is { } timeoutText)
        {
            if (!TryParseSeconds(timeoutText, out double timeout))
            {
                errors.Add($"ntpdate: timeout {timeoutText} is undecodeable");
            }
            else
            {
                options = options with { TimeoutNanoseconds = TimeoutFromSeconds(timeout) };
            }
        }

        if (errors.Count == 0 && options.Servers.Count == 0)
        {
            errors.Add("ntpdate: no server given");
        }

        return errors.Count == 0;
    }

    /// <summary>
    /// getopt's checks, which System.CommandLine words differently or not at all (it would take
    /// "-x" or the "x" of "-qx" as a server name): every letter of an option token must be a known
    /// option, and an option that takes a value must have one ("-p4" or "-p 4").
    /// </summary>
    private static string? FindGetoptError(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                return null;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                continue;
            }

            for (int j = 1; j < arg.Length; j++)
            {
                char letter = arg[j];
                if (FlagLetters.Contains(letter))
                {
                    continue;
                }

                if (!ValueLetters.Contains(letter))
                {
                    return $"ntpdate: illegal option -- {letter}";
                }

                if (j == arg.Length - 1)
                {
                    if (i == args.Length - 1)
                    {
                        return $"ntpdate: option requires an argument -- {letter}";
                    }

                    i++;
                }

                break;
            }
        }

        return null;
    }

    /// <summary>
    /// ntpdate's -t rounding: to the nearest 0.2 s timer tick (from the value truncated to 16.16),
    /// and never below 1 s (4.2.8's MINTIMEOUT).
    /// </summary>
    public static long TimeoutFromSeconds(double seconds)
    {
        const long TickNanoseconds = 200_000_000;
        const long MinimumTicks = 5;
        long shortFixed = (long)Math.Floor(Math.Min(seconds, 32767.0) * 65536.0);
        long ticks = ((shortFixed * 5) + 0x8000) >> 16;
        return Math.Max(ticks, MinimumTicks) * TickNanoseconds;
    }

    /// <summary>
    /// The fraction of a decimal number of seconds below 1 ("0.000050", ".5") in units of 2^-32 s,
    /// as ntpdate's atolfp() makes it: at most nine decimals count, rounded to the nearest unit
    /// (an exact half rounds down).
    /// </summary>
    internal static uint FractionOfSecond(string text)
    {
        int point = text.IndexOf('.', StringComparison.Ordinal);
        if (point < 0)
        {
            return 0;
        }

        ulong decimals = 0;
        ulong scale = 1;
        foreach (char c in text.AsSpan(point + 1))
        {
            if (scale == 1_000_000_000 || c is < '0' or > '9')
            {
                break;
            }

            decimals = (decimals * 10) + (ulong)(c - '0');
            scale *= 10;
        }

        ulong scaled = decimals << 32;
        ulong fraction = scaled / scale;
        if ((scaled % scale) * 2 > scale)
        {
            fraction++;
        }

        return unchecked((uint)fraction);
    }

    /// <summary>atolfp-like: an unsigned decimal number of seconds ("2", "0.5", ".5").</summary>
    private static bool TryParseSeconds(string text, out double seconds)
    {
        seconds = 0;
        if (text.Length == 0 || text.Length > 32)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is not ((>= '0' and <= '9') or '.'))
            {
                return false;
            }
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds);
    }

    /// <summary>C atoi(): leading digits with an optional sign, 0 when there are none.</summary>
    private static int AtoI(string text)
    {
        ReadOnlySpan<char> span = text.AsSpan().TrimStart();
        int sign = 1;
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            sign = span[0] == '-' ? -1 : 1;
            span = span[1..];
        }

        long value = 0;
        foreach (char c in span)
        {
            if (c is < '0' or > '9')
            {
                break;
            }

            value = Math.Min((value * 10) + (c - '0'), int.MaxValue);
        }

        return (int)(sign * value);
    }

    private static string Describe(ParseError error, ParseResult parsed)
    {
        if (error.SymbolResult is OptionResult { Option: { } option } && option.Arity.MinimumNumberOfValues > 0
            && (error.SymbolResult.Tokens.Count == 0))
        {
            return $"ntpdate: option requires an argument -- {option.Name.TrimStart('-')}";
        }

        foreach (string unmatched in parsed.UnmatchedTokens)
        {
            if (error.Message.Contains(unmatched, StringComparison.Ordinal) && unmatched.StartsWith('-') && unmatched.Length > 1)
            {
                return $"ntpdate: illegal option -- {unmatched.TrimStart('-')}";
            }
        }

        return $"ntpdate: {error.Message}";
    }

    /// <summary>The options and the server argument.</summary>
    private sealed class Grammar
    {
        public Option<bool> IPv4 { get; } = new("-4") { Description = "use IPv4 addresses only", Arity = ArgumentArity.Zero };
        public Option<bool> IPv6 { get; } = new("-6") { Description = "use IPv6 addresses only", Arity = ArgumentArity.Zero };
        public Option<string?> AuthenticationKey { get; } = new("-a") { Description = "authenticate with key number key#" };
        public Option<bool> Step { get; } = new("-b") { Description = "step the clock (settimeofday) instead of slewing", Arity = ArgumentArity.Zero };
        public Option<bool> Slew { get; } = new("-B") { Description = "always slew (adjtime), even for large offsets", Arity = ArgumentArity.Zero };
        public Option<bool> Debug { get; } = new("-d") { Description = "debug output; the clock is not changed", Arity = ArgumentArity.Zero };
        public Option<string?> AuthenticationDelay { get; } = new("-e") { Description = "authentication delay in seconds, added to T1 of signed requests (-a)" };
        public Option<string?> KeyFile { get; } = new("-k") { Description = "keys file (default /etc/ntp.keys)" };
        public Option<string?> Version { get; } = new("-o") { Description = "NTP version to send (1-4, default 4)" };
        public Option<string?> Samples { get; } = new("-p") { Description = "samples per server (1-8, default 4; 1 with -q)" };
        public Option<bool> Query { get; } = new("-q") { Description = "query only; do not set the clock", Arity = ArgumentArity.Zero };
        public Option<bool> Syslog { get; } = new("-s") { Description = "log to syslog instead of the terminal", Arity = ArgumentArity.Zero };
        public Option<string?> Timeout { get; } = new("-t") { Description = "seconds to wait for each reply (default 2)" };
        public Option<bool> Unprivileged { get; } = new("-u") { Description = "send from an unprivileged port", Arity = ArgumentArity.Zero };
        public Option<bool> Verbose { get; } = new("-v") { Description = "log the version", Arity = ArgumentArity.Zero };
        public Argument<string[]> Servers { get; } = new("server") { Description = "NTP servers to query", Arity = ArgumentArity.ZeroOrMore };

        public RootCommand Command
        {
            get
            {
                var command = new RootCommand("ntpdate: set the date and time via NTP (Stratum)");

                // ntpdate has no --help or --version, and "[...]" arguments are host names, not directives.
                command.Options.Clear();
                command.Directives.Clear();
                foreach (Option option in (Option[])[IPv4, IPv6, AuthenticationKey, Step, Slew, Debug, AuthenticationDelay, KeyFile, Version, Samples, Query, Syslog, Timeout, Unprivileged, Verbose])
                {
                    command.Options.Add(option);
                }

                command.Arguments.Add(Servers);
                return command;
            }
        }
    }
}

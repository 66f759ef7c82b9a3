// Stratum.Fuzz: the SharpFuzz harness for Core's parsers and the Engine's network-facing
// responders (ARCHITECTURE.md §9 "Fuzz"). The first argument names a target (FuzzTargets.Names);
// with no further argument the process runs under afl-fuzz through SharpFuzz's out-of-process
// runner, with file arguments it replays those inputs once each and reports any exception (how a
// crash AFL found is reproduced). Stratum.Core.dll and Stratum.Engine.dll must be instrumented
// with the sharpfuzz tool for AFL to see coverage; tests/Stratum.Fuzz/smoke.sh does that.
// `--write-seeds DIR` writes the responder targets' seed corpus (SeedCorpus). The same targets run
// without AFL in Stratum.Core.Tests (FuzzCorpusReplayTests) over the seed corpus and every
// regression input.
using SharpFuzz;

namespace Stratum.Fuzz;

internal static class Program
{
    private const string Usage = """
        usage: Stratum.Fuzz TARGET            run TARGET under afl-fuzz
               Stratum.Fuzz TARGET FILE...    run TARGET once on each FILE
               Stratum.Fuzz --list            print the target names
               Stratum.Fuzz --write-seeds DIR write the responder targets' seeds into DIR/<target>/
        """;

    private static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--list")
        {
            foreach (string name in FuzzTargets.Names)
            {
                Console.WriteLine(name);
            }

            return 0;
        }

        if (args.Length == 2 && args[0] == "--write-seeds")
        {
            Console.WriteLine($"{SeedCorpus.Write(args[1])} seeds written under {args[1]}");
            return 0;
        }

        if (args.Length == 0 || !FuzzTargets.TryGet(args[0], out FuzzTarget? target))
        {
            Console.Error.WriteLine(args.Length == 0 ? Usage : $"unknown target '{args[0]}'; targets: {string.Join(' ', FuzzTargets.Names)}");
            return 2;
        }

        if (args.Length == 1)
        {
            Fuzzer.OutOfProcess.Run(stream => target(FuzzTargets.ReadInput(stream)));
            return 0;
        }

        return Replay(args[0], target, args.AsSpan(1));
    }

    /// <summary>Runs each file through the target; exit 1 when any throws.</summary>
    private static int Replay(string name, FuzzTarget target, ReadOnlySpan<string> files)
    {
        int failures = 0;
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            try
            {
                target(FuzzTargets.Truncate(input));
                Console.WriteLine($"{name} {file}: ok");
            }
#pragma warning disable CA1031 // Catch general exception types: any exception is the finding being reported.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures++;
                Console.WriteLine($"{name} {file}: {exception}");
            }
        }

        return failures == 0 ? 0 : 1;
    }
}

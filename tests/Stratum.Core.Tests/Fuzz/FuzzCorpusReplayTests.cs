// The fuzz targets of tests/Stratum.Fuzz without AFL: every seed in corpus/<target>/ and every
// input in regressions/<target>/ (a crash AFL found, kept when it was fixed) runs through the
// same FuzzTargets code and must pass its invariants. So CI replays every past crash even where
// afl-fuzz is missing, and a new crash becomes a regression test by dropping its file there.
using Stratum.Core.Config;
using Stratum.Fuzz;
using Stratum.Fuzz.Targets;

namespace Stratum.Core.Tests.Fuzz;

public class FuzzCorpusReplayTests
{
    private static readonly string s_fuzzDirectory = Path.Combine(FindRepositoryRoot(), "tests", "Stratum.Fuzz");

    public static TheoryData<string, string> Inputs()
    {
        var inputs = new TheoryData<string, string>();
        foreach (string target in FuzzTargets.Names)
        {
            foreach (string folder in new[] { "corpus", "regressions" })
            {
                string directory = Path.Combine(s_fuzzDirectory, folder, target);
                if (!Directory.Exists(directory))
                {
                    continue;
                }

                foreach (string file in Directory.GetFiles(directory))
                {
                    if (!file.EndsWith(".gitkeep", StringComparison.Ordinal))
                    {
                        inputs.Add(target, Path.GetRelativePath(s_fuzzDirectory, file));
                    }
                }
            }
        }

        return inputs;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Target_CorpusOrRegressionInput_HoldsItsInvariants(string target, string relativePath)
    {
        Assert.True(FuzzTargets.TryGet(target, out FuzzTarget? run));
        byte[] input = File.ReadAllBytes(Path.Combine(s_fuzzDirectory, relativePath));

        run(FuzzTargets.Truncate(input));
    }

    [Fact]
    public void EveryTarget_HasASeedCorpus()
    {
        foreach (string target in FuzzTargets.Names)
        {
            string directory = Path.Combine(s_fuzzDirectory, "corpus", target);
            Assert.True(Directory.Exists(directory) && Directory.GetFiles(directory).Length > 0, $"no seed corpus for target {target}");
        }
    }

    [Fact]
    public void EveryCorpusAndRegressionFolder_NamesATarget()
    {
        // A folder no target claims would never be replayed (a renamed target, a typo in a new one).
        var names = new HashSet<string>(FuzzTargets.Names);
        foreach (string folder in new[] { "corpus", "regressions" })
        {
            foreach (string directory in Directory.GetDirectories(Path.Combine(s_fuzzDirectory, folder)))
            {
                Assert.True(names.Contains(Path.GetFileName(directory)), $"{folder}/{Path.GetFileName(directory)} names no fuzz target");
            }
        }
    }

    [Fact]
    public void Targets_BrokenInvariant_IsReportedAsAnException()
    {
        // A diagnostic naming line 3 of a 2-line input: the shared checker must reject it.
        var diagnostics = new[] { new ConfigDiagnostic(DiagnosticSeverity.Error, "f", 3, 1, "m") };

        Assert.Throws<FuzzInvariantException>(() => DiagnosticChecks.CheckAll(diagnostics, lineCount: 2));
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stratum.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Stratum.slnx above {AppContext.BaseDirectory}");
    }
}

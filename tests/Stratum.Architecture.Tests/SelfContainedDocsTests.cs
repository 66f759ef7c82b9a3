// The repository stands alone: no comment or document sends the reader to a file outside it
// (../shared, FASTPATH.md, SIMULATION.md) or to an issue number the reader cannot see. Scans the
// .cs and .md files of src/, tests/ and docs/ and those at the repository root, and the .sh files of
// the same places, where only a default path naming ../shared is allowed (tests/sim/sim.sh). This
// file names the patterns, so it is left out.
using System.Text.RegularExpressions;

namespace Stratum.Architecture.Tests;

public partial class SelfContainedDocsTests
{
    private static readonly string[] s_scannedFolders = ["src", "tests", "docs"];

    [GeneratedRegex(@"FASTPATH\.md|SIMULATION\.md|\b(?i:issue)\s+#?\d+")]
    private static partial Regex OutsideReference();

    [GeneratedRegex(@"\.\./shared")]
    private static partial Regex SharedFolder();

    [Fact]
    public void CommentsAndDocs_NameNothingOutsideTheRepository()
    {
        string root = RepositoryRoot();
        var findings = new List<string>();
        foreach (string file in FilesToScan(root))
        {
            bool shellScript = file.EndsWith(".sh", StringComparison.Ordinal);
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                Match match = OutsideReference().Match(lines[i]);
                if (!match.Success && !shellScript)
                {
                    match = SharedFolder().Match(lines[i]);
                }

                if (match.Success)
                {
                    findings.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {match.Value}");
                }
            }
        }

        Assert.True(findings.Count == 0, "references outside the repository:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void Scan_SeesTheSourcesAndDocs()
    {
        // Guards the test above against passing because it found nothing to read.
        string root = RepositoryRoot();
        List<string> files = FilesToScan(root).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).ToList();
        Assert.Contains("ARCHITECTURE.md", files);
        Assert.Contains("docs/simulation.md", files);
        Assert.Contains("tests/sim/sim.sh", files);
        Assert.Contains(files, f => f.StartsWith("src/", StringComparison.Ordinal) && f.EndsWith(".cs", StringComparison.Ordinal));
    }

    private static IEnumerable<string> FilesToScan(string root)
    {
        string[] extensions = [".cs", ".md", ".sh"];
        foreach (string file in Directory.EnumerateFiles(root))
        {
            if (extensions.Contains(Path.GetExtension(file)))
            {
                yield return file;
            }
        }

        foreach (string folder in s_scannedFolders)
        {
            string path = Path.Combine(root, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file);
                string[] parts = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
                if (parts.Any(p => p is "bin" or "obj" or "TestResults") || !extensions.Contains(Path.GetExtension(file))
                    || Path.GetFileName(file) == nameof(SelfContainedDocsTests) + ".cs")
                {
                    continue;
                }

                yield return file;
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stratum.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Stratum.slnx above {AppContext.BaseDirectory}");
    }
}

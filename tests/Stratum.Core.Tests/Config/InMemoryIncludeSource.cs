// A dictionary of file name → text standing in for the file system in includefile tests.
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

internal sealed class InMemoryIncludeSource : IConfigIncludeSource
{
    private readonly Dictionary<string, string> _files;

    public InMemoryIncludeSource(Dictionary<string, string> files)
    {
        _files = files;
    }

    public List<string> Reads { get; } = [];

    public bool TryRead(string path, out string text, out string? error)
    {
        Reads.Add(path);
        if (_files.TryGetValue(path, out string? found))
        {
            text = found;
            error = null;
            return true;
        }

        text = "";
        error = "No such file or directory";
        return false;
    }
}

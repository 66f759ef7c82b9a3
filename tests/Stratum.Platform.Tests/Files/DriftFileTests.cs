// DriftFile: reading a missing, valid, corrupt or out-of-range drift file, and the atomic write
// (temp file + rename) with ntpd's "%.3f" format. Every test works in its own temp directory.
using Stratum.Platform.Files;

namespace Stratum.Platform.Tests.Files;

public sealed class DriftFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-drift-").FullName;

    private string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TryRead_MissingFile_NoValueAndNoError()
    {
        Assert.False(DriftFile.TryRead(PathOf("ntp.drift"), out double ppm, out string? error));
        Assert.Equal(0, ppm);
        Assert.Null(error);
    }

    [Fact]
    public void TryRead_MissingDirectory_NoValueAndNoError()
    {
        Assert.False(DriftFile.TryRead(PathOf("nope/ntp.drift"), out _, out string? error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("-12.345\n", -12.345)]
    [InlineData("  7.000  \n", 7.0)]
    [InlineData("500.000\n", 500.0)]
    [InlineData("-500", -500.0)]
    [InlineData("3.5 1\n", 3.5)]
    public void TryRead_ValidContent_ReturnsPpm(string content, double expected)
    {
        string path = PathOf("ntp.drift");
        File.WriteAllText(path, content);
        Assert.True(DriftFile.TryRead(path, out double ppm, out string? error));
        Assert.Null(error);
        Assert.Equal(expected, ppm, 9);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n", "empty")]
    [InlineData("abc\n", "format error")]
    [InlineData("12,5\n", "format error")]
    [InlineData("NaN\n", "format error")]
    [InlineData("Infinity\n", "format error")]
    [InlineData("500.001\n", "exceeds tolerance 500 PPM")]
    [InlineData("-600\n", "exceeds tolerance 500 PPM")]
    public void TryRead_CorruptOrOutOfRange_ErrorNamesFileAndProblem(string content, string problem)
    {
        string path = PathOf("ntp.drift");
        File.WriteAllText(path, content);
        Assert.False(DriftFile.TryRead(path, out double ppm, out string? error));
        Assert.Equal(0, ppm);
        Assert.NotNull(error);
        Assert.Contains(path, error);
        Assert.Contains(problem, error);
    }

    [Fact]
    public void TryRead_HugeFile_Error()
    {
        string path = PathOf("ntp.drift");
        File.WriteAllText(path, new string('1', 10_000));
        Assert.False(DriftFile.TryRead(path, out _, out string? error));
        Assert.Contains("not a drift file", error);
    }

    [Fact]
    public void TryRead_PathIsDirectory_Error()
    {
        Assert.False(DriftFile.TryRead(_directory, out _, out string? error));
        Assert.NotNull(error);
        Assert.Contains(_directory, error);
    }

    [Fact]
    public void Write_ThenRead_RoundTripsWithThreeDecimals()
    {
        string path = PathOf("ntp.drift");
        Assert.Null(DriftFile.Write(path, -12.34567));
        Assert.Equal("-12.346\n", File.ReadAllText(path));
        Assert.True(DriftFile.TryRead(path, out double ppm, out _));
        Assert.Equal(-12.346, ppm, 9);
        Assert.False(File.Exists(path + DriftFile.TemporarySuffix));
    }

    [Fact]
    public void Write_ExistingFile_ReplacedAtomically()
    {
        string path = PathOf("ntp.drift");
        File.WriteAllText(path, "1.000\n");
        Assert.Null(DriftFile.Write(path, 2.5));
        Assert.Equal("2.500\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Write_MissingDirectory_ErrorNamesFile()
    {
        string path = PathOf("missing/ntp.drift");
        string? error = DriftFile.Write(path, 1.0);
        Assert.NotNull(error);
        Assert.Contains(path, error);
        Assert.Contains("No such file or directory", error);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(501.0)]
    [InlineData(-1e9)]
    public void Write_OutOfRange_ErrorAndNoFile(double ppm)
    {
        string path = PathOf("ntp.drift");
        Assert.NotNull(DriftFile.Write(path, ppm));
        Assert.False(File.Exists(path));
    }
}

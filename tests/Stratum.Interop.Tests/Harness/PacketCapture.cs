// A bounded tshark capture on lo with a BPF filter, written to a pcapng file, then decoded by
// tshark twice: as fields (TsharkNtpRow) and as the full -V tree (for messages and a "Malformed"
// scan). tshark prints "Capturing on" a little before packets really flow, so the capture is live
// only once tshark's own packet summary (-P -l) shows a frame; WaitUntilLiveAsync sends probe
// queries until then. Bounded by duration (-a duration:N) and stopped with SIGTERM, which makes
// tshark close the file properly. Needs root (dumpcap runs as root here; no setuid dumpcap).
using System.Diagnostics;
using System.Net;

namespace Stratum.Interop.Tests.Harness;

public sealed class PacketCapture : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_decodeTimeout = TimeSpan.FromSeconds(30);
    private readonly string _tshark;
    private readonly ManagedProcess _process;
    private readonly string _directory;
    private readonly string _file;

    private PacketCapture(string tshark, ManagedProcess process, string directory, string file)
    {
        _tshark = tshark;
        _process = process;
        _directory = directory;
        _file = file;
    }

    /// <summary>Frames tshark has reported so far (one summary line each).</summary>
    public int FramesSeen => _process.StandardOutput.Split('\n').Count(line => line.Contains(" NTP ", StringComparison.Ordinal));

    /// <summary>Starts capturing NTP traffic to or from HOST, for at most MAXDURATION.</summary>
    public static async Task<PacketCapture> StartAsync(IPAddress host, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        InteropEnvironment.RequireRoot();
        var tshark = InteropEnvironment.Tool("tshark");
        var directory = Directory.CreateTempSubdirectory("stratum-interop-capture-").FullName;
        var file = Path.Combine(directory, "ntp.pcapng");
        var seconds = (int)Math.Ceiling(maxDuration.TotalSeconds);
        var process = ManagedProcess.Start(tshark,
            ["-i", "lo", "-f", $"udp port 123 and host {host}", "-a", $"duration:{seconds}", "-l", "-P", "-w", file],
            maxDuration + TimeSpan.FromSeconds(10), directory);
        var capture = new PacketCapture(tshark, process, directory, file);
        if (!await process.WaitForOutputAsync(text => text.Contains("Capturing on", StringComparison.Ordinal),
                s_startTimeout, cancellationToken))
        {
            var result = process.Snapshot();
            await capture.DisposeAsync();
            Assert.Fail($"tshark did not start capturing within {s_startTimeout.TotalSeconds:F0} s:\n{result.Describe()}");
        }

        return capture;
    }

    /// <summary>Queries SERVER every 200 ms (at most 25 times) until tshark shows a captured frame.</summary>
    public async Task WaitUntilLiveAsync(IPAddress server, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 25 && FramesSeen == 0 && !_process.HasExited; attempt++)
        {
            _ = await NtpProbe.QueryAsync(server, TimeSpan.FromMilliseconds(200), cancellationToken);
            await _process.WaitForOutputAsync(_ => FramesSeen > 0, TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        if (FramesSeen == 0)
        {
            Assert.Fail($"tshark captured nothing of the warm-up queries to {server}:\n{_process.Snapshot().Describe()}");
        }
    }

    /// <summary>Waits (at most 5 s) until tshark has seen FRAMES frames, stops it and decodes the file.</summary>
    public async Task<CaptureDecode> FinishAsync(int frames, CancellationToken cancellationToken)
    {
        await _process.WaitForOutputAsync(_ => FramesSeen >= frames, TimeSpan.FromSeconds(5), cancellationToken);
        await _process.StopAsync();
        var capture = _process.Snapshot();
        if (!File.Exists(_file))
        {
            Assert.Fail($"tshark wrote no capture file {_file}:\n{capture.Describe()}");
        }

        string[] fieldArguments = ["-r", _file, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"];
        var fields = await ManagedProcess.RunAsync(_tshark,
            fieldArguments.Concat(TsharkNtpRow.Fields.SelectMany(field => new[] { "-e", field })),
            s_decodeTimeout, cancellationToken);
        var verbose = await ManagedProcess.RunAsync(_tshark, ["-r", _file, "-V"], s_decodeTimeout, cancellationToken);
        if (fields.ExitCode != 0 || verbose.ExitCode != 0)
        {
            Assert.Fail($"tshark could not decode {_file}:\n{fields.Describe()}\n{verbose.Describe()}");
        }

        return new CaptureDecode(TsharkNtpRow.Parse(fields.StandardOutput), fields.StandardOutput, verbose.StandardOutput,
            capture.Describe());
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException exception)
        {
            Debug.WriteLine($"could not delete {_directory}: {exception.Message}");
        }
    }
}

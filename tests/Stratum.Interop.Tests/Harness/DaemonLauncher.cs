// Starts the three servers of the interop tests and waits (at most 10 s) until each answers a mode-3
// query the way a client may use: LI not 3 and the expected stratum. chronyd (-x) and ntpsec come
// from the unpacked Debian packages; ours is dist/ntpd. Every process runs without CAP_SYS_TIME
// (ManagedProcess) and under a hard time limit; a daemon that does not get ready is stopped and the
// test fails with its output and log. Prerequisites (binaries, root, a free port) are checked first:
// missing ones skip the test, or fail it when CI=true.
using System.Net;

namespace Stratum.Interop.Tests.Harness;

public static class DaemonLauncher
{
    /// <summary>Expected of every server here: it answers, synchronised, within 10 s of its start.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Safety net: a daemon outliving the interop run by this much is killed by `timeout`.</summary>
    public static readonly TimeSpan DaemonHardTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Our ntpd's local clock is fudged to stratum 10, so it serves stratum 11.</summary>
    public const int OurNtpdStratum = 11;

    public static Task<RunningDaemon> StartChronydAsync(CancellationToken cancellationToken)
    {
        var chronyd = InteropEnvironment.Chronyd();
        var address = InteropAddresses.Chronyd;
        InteropEnvironment.RequirePortFree(address);
        var runDirectory = CreateRunDirectory("chronyd");
        var config = Path.Combine(runDirectory, "chrony.conf");
        File.WriteAllText(config, DaemonConfigs.Chronyd(address, runDirectory));
        return StartAsync("chronyd", address, chronyd, ["-x", "-d", "-u", "root", "-f", config], runDirectory,
            logFile: null, reply => reply.IsSynchronised && reply.Stratum == 1, cancellationToken);
    }

    public static Task<RunningDaemon> StartNtpsecAsync(CancellationToken cancellationToken)
    {
        var ntpd = InteropEnvironment.NtpsecNtpd();
        var address = InteropAddresses.Ntpsec;
        InteropEnvironment.RequirePortFree(address);
        InteropEnvironment.RequirePortFree(IPAddress.IPv6Loopback);
        var runDirectory = CreateRunDirectory("ntpsec");
        var config = Path.Combine(runDirectory, "ntpsec.conf");
        var log = Path.Combine(runDirectory, "ntpsec.log");
        File.WriteAllText(config, DaemonConfigs.Ntpsec(runDirectory));
        WriteKeys(Path.Combine(runDirectory, "ntp.keys"), DaemonConfigs.Keys);
        // ntpsec's first replies (~1 s) are LI=3, stratum 0, refid INIT: wait for orphan-mode stratum 1.
        return StartAsync("ntpsec ntpd", address, ntpd,
            ["-n", "-c", config, "-l", log, "-p", Path.Combine(runDirectory, "ntpsec.pid")], runDirectory,
            log, reply => reply.IsSynchronised && reply.Stratum == 1, cancellationToken);
    }

    public static Task<RunningDaemon> StartOurNtpdAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var ntpd = InteropEnvironment.OurTool("ntpd");
        InteropEnvironment.RequirePortFree(address);
        var runDirectory = CreateRunDirectory("ntpd");
        var config = Path.Combine(runDirectory, "ntp.conf");
        File.WriteAllText(config, DaemonConfigs.OurNtpd(address, runDirectory));
        return StartAsync("Stratum ntpd", address, ntpd, ["-n", "-c", config], runDirectory,
            Path.Combine(runDirectory, "ntpd.log"),
            reply => reply.IsSynchronised && reply.Stratum == OurNtpdStratum, cancellationToken);
    }

    /// <summary>Our ntpd on <paramref name="address"/> with <paramref name="extraLines"/> added to the standard
    /// config (observe-only, local clock at stratum 10); ready once it serves <paramref name="stratum"/>.</summary>
    public static Task<RunningDaemon> StartOurNtpdAsync(IPAddress address, string extraLines, int stratum, CancellationToken cancellationToken)
    {
        var ntpd = InteropEnvironment.OurTool("ntpd");
        InteropEnvironment.RequirePortFree(address);
        var runDirectory = CreateRunDirectory("ntpd");
        var config = Path.Combine(runDirectory, "ntp.conf");
        File.WriteAllText(config, DaemonConfigs.OurNtpd(address, runDirectory, extraLines));
        return StartAsync("Stratum ntpd", address, ntpd, ["-n", "-c", config], runDirectory,
            Path.Combine(runDirectory, "ntpd.log"),
            reply => reply.IsSynchronised && reply.Stratum == stratum, cancellationToken);
    }

    /// <summary>Our ntpd as a client of <paramref name="upstream"/> (`server UPSTREAM iburst`, observe-only);
    /// ready once it serves the upstream's stratum + 1 with the upstream's address as refid.</summary>
    public static Task<RunningDaemon> StartOurNtpdClientAsync(IPAddress address, IPAddress upstream, int upstreamStratum, CancellationToken cancellationToken)
    {
        var ntpd = InteropEnvironment.OurTool("ntpd");
        InteropEnvironment.RequirePortFree(address);
        var runDirectory = CreateRunDirectory("ntpd-client");
        var config = Path.Combine(runDirectory, "ntp.conf");
        File.WriteAllText(config, DaemonConfigs.OurNtpd(address, runDirectory, $"server {upstream} iburst"));
        uint upstreamRefid = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(upstream.GetAddressBytes());
        return StartAsync("Stratum ntpd (client)", address, ntpd, ["-n", "-c", config], runDirectory,
            Path.Combine(runDirectory, "ntpd.log"),
            reply => reply.IsSynchronised && reply.Stratum == upstreamStratum + 1 && reply.ReferenceId == upstreamRefid, cancellationToken);
    }

    private static async Task<RunningDaemon> StartAsync(string name, IPAddress address, string executable,
        string[] arguments, string runDirectory, string? logFile, Func<NtpReply, bool> ready,
        CancellationToken cancellationToken)
    {
        var process = ManagedProcess.Start(executable, arguments, DaemonHardTimeout, runDirectory);
        var daemon = new RunningDaemon(name, address, process, runDirectory, logFile);
        try
        {
            var (reply, accepted, elapsed) = await NtpProbe.WaitForReplyAsync(
                address, ready, ReadyTimeout, cancellationToken, giveUp: () => process.HasExited);
            if (!accepted)
            {
                var seen = reply is null ? "no reply at all" : $"last reply: {reply}";
                Assert.Fail($"{name} did not answer synchronised within {ReadyTimeout.TotalSeconds:F0} s " +
                    $"({(process.HasExited ? "it exited" : "still running")}; {seen}).\n{daemon.Diagnostics()}");
            }

            daemon.ReadyReply = reply;
            daemon.TimeToReady = elapsed;
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>A keys file, readable by its owner only (as ntpd expects of secrets).</summary>
    public static void WriteKeys(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string CreateRunDirectory(string name)
    {
        // Mode 0700 (CreateTempSubdirectory's default on Unix): chronyd insists on it for its files.
        return Directory.CreateTempSubdirectory($"stratum-interop-{name}-").FullName;
    }
}

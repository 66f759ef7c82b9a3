// NetworkNamespacePair: two network namespaces of this test run joined by a veth pair on 10.201.N.0/24
// (server .1, client .2, broadcast .255, a route for 224.0.0.0/4 on each side), for tests that need a
// real link with broadcast and multicast, which loopback has not. Daemons run inside with
// `ip netns exec NS setpriv --bounding-set -sys_time --inh-caps -sys_time -- ntpd ...` (never with clock
// control). Dispose stops them and deletes both namespaces (which removes the veth pair); namespaces
// left behind by a killed test run (their owner's process is gone) are deleted at the next Create.
using System.Diagnostics;
using System.Globalization;

namespace Stratum.Cli.Tests.Ntpd;

internal sealed class NetworkNamespacePair : IDisposable
{
    private const string Prefix = "stratumtest-";
    private readonly List<Process> _daemons = [];

    private NetworkNamespacePair(int subnet)
    {
        string owner = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        ServerNamespace = $"{Prefix}{owner}-{subnet}-s";
        ClientNamespace = $"{Prefix}{owner}-{subnet}-c";
        Subnet = subnet;
    }

    public string ServerNamespace { get; }

    public string ClientNamespace { get; }

    public int Subnet { get; }

    public string ServerAddress => $"10.201.{Subnet}.1";

    public string ClientAddress => $"10.201.{Subnet}.2";

    public string BroadcastAddress => $"10.201.{Subnet}.255";

    /// <summary>Creates the pair on 10.201.<paramref name="subnet"/>.0/24; needs root and iproute2 (skips without
    /// them, fails when CI=true).</summary>
    public static NetworkNamespacePair Create(int subnet)
    {
        PublishedNtpd.RequireRoot("to create network namespaces");
        RemoveAbandoned();
        var pair = new NetworkNamespacePair(subnet);
        string link = $"st{Environment.ProcessId % 100000}x{subnet}";
        string[][] steps =
        [
            ["netns", "add", pair.ServerNamespace],
            ["netns", "add", pair.ClientNamespace],
            ["link", "add", link + "s", "type", "veth", "peer", "name", link + "c"],
            ["link", "set", link + "s", "netns", pair.ServerNamespace],
            ["link", "set", link + "c", "netns", pair.ClientNamespace],
            ["-n", pair.ServerNamespace, "addr", "add", pair.ServerAddress + "/24", "broadcast", pair.BroadcastAddress, "dev", link + "s"],
            ["-n", pair.ClientNamespace, "addr", "add", pair.ClientAddress + "/24", "broadcast", pair.BroadcastAddress, "dev", link + "c"],
            ["-n", pair.ServerNamespace, "link", "set", link + "s", "up"],
            ["-n", pair.ClientNamespace, "link", "set", link + "c", "up"],
            ["-n", pair.ServerNamespace, "link", "set", "lo", "up"],
            ["-n", pair.ClientNamespace, "link", "set", "lo", "up"],
            ["-n", pair.ServerNamespace, "route", "add", "224.0.0.0/4", "dev", link + "s"],
            ["-n", pair.ClientNamespace, "route", "add", "224.0.0.0/4", "dev", link + "c"],
        ];
        foreach (string[] step in steps)
        {
            (int code, string output) = Run("ip", step);
            if (code != 0)
            {
                pair.Dispose();
                string message = $"ip {string.Join(' ', step)}: exit {code}: {output}";
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Fail(message);
                }

                Assert.Skip(message);
            }
        }

        return pair;
    }

    /// <summary>Starts `ntpd -n -c CONFIG -l LOG` in <paramref name="space"/> without CAP_SYS_TIME.</summary>
    public Process StartNtpd(string space, string ntpd, string config, string log)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["netns", "exec", space, "setpriv", "--bounding-set", "-sys_time", "--inh-caps", "-sys_time", "--",
                     ntpd, "-n", "-c", config, "-l", log])
        {
            start.ArgumentList.Add(argument);
        }

        Process daemon = Process.Start(start) ?? throw new InvalidOperationException("cannot start ip netns exec");
        _daemons.Add(daemon);
        return daemon;
    }

    /// <summary>Runs a command inside <paramref name="space"/>; returns its standard output and error.</summary>
    public static string Exec(string space, string program, params string[] arguments)
    {
        (_, string output) = Run("ip", ["netns", "exec", space, program, .. arguments]);
        return output;
    }

    public void Dispose()
    {
        foreach (Process daemon in _daemons)
        {
            if (!daemon.HasExited)
            {
                daemon.Kill(entireProcessTree: true);
                daemon.WaitForExit(TimeSpan.FromSeconds(10));
            }

            daemon.Dispose();
        }

        _ = Run("ip", ["netns", "del", ServerNamespace]);
        _ = Run("ip", ["netns", "del", ClientNamespace]);
    }

    // Namespaces of earlier test runs whose process is gone (a run killed before its Dispose).
    private static void RemoveAbandoned()
    {
        (int code, string list) = Run("ip", ["netns", "list"]);
        if (code != 0)
        {
            return;
        }

        foreach (string line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ')[0];
            string[] parts = name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..].Split('-') : [];
            if (parts.Length == 3 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int pid) && !Directory.Exists($"/proc/{pid}"))
            {
                _ = Run("ip", ["netns", "del", name]);
            }
        }
    }

    private static (int Code, string Output) Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{program}: {e.Message}");
        }
    }
}

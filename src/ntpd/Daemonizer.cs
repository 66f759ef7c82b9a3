// Daemonizer: ntpd without -n detaches from the terminal. .NET cannot fork safely, so the parent
// starts itself again as a child with the same arguments (marked by an environment variable),
// the child calls setsid() at start (in NtpdDaemon) and the parent exits 0.
using System.Diagnostics;

namespace Stratum.Tools.Ntpd;

internal static class Daemonizer
{
    public static int Detach(string[] args, string childVariable, TextWriter stderr)
    {
        string? processPath = Environment.ProcessPath;
        if (processPath is null)
        {
            stderr.WriteLine("ntpd: cannot find my own executable to detach; run with -n");
            return 1;
        }

        var start = new ProcessStartInfo(processPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Under `dotnet ntpd.dll` the executable is the host; pass the entry assembly first.
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[childVariable] = "1";
        using Process? child = Process.Start(start);
        if (child is null)
        {
            stderr.WriteLine("ntpd: cannot start the daemon process");
            return 1;
        }

        child.StandardInput.Close();
        return 0;
    }
}

// Logging to systemd's journal: when $JOURNAL_STREAM names the file behind ntpd's stderr (systemd sets
// it for a service whose output goes to the journal), `ntpd -n` writes each line as sd-daemon's
// "<N>message" — the severity for the journal, no time stamp and no "ntpd[pid]:" of its own, which the
// journal records itself; without it (or when it names another file) the lines keep ntpd's format.
// Skips without dist/ntpd or root (fails when CI=true).
using System.Diagnostics;
using System.Net;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdJournalTests : IDisposable
{
    private const string Address = "127.0.0.39";

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-journal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WhenStderrIsTheJournal_LinesCarryAPriorityAndNoTimestamp()
    {
        string ntpd = PublishedNtpd.Locate();
        PublishedNtpd.RequireRoot();

        string journal = RunWithStderr(ntpd, "journal.log", journalStreamMatches: true);
        string[] lines = journal.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches("^<[2-7]>", line));
        Assert.DoesNotContain("ntpd[", journal, StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("<5>Listen normally on ", StringComparison.Ordinal));

        string plain = RunWithStderr(ntpd, "plain.log", journalStreamMatches: false);
        Assert.Contains(" ntpd[", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("<5>", plain, StringComparison.Ordinal);
    }

    // Runs the daemon for a few seconds with stderr on a file of ours and JOURNAL_STREAM set to that file's
    // device and inode (or to another's); returns what it wrote there.
    private string RunWithStderr(string ntpd, string name, bool journalStreamMatches)
    {
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, $"""
            disable ntp
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            interface ignore all
            interface listen {Address}
            """ + "\n");
        string output = Path.Combine(_directory, name);
        File.WriteAllText(output, string.Empty);
        string other = Path.Combine(_directory, "other");
        File.WriteAllText(other, string.Empty);
        string stream = Stat(journalStreamMatches ? output : other);
        var start = new ProcessStartInfo("setpriv") { UseShellExecute = false };
        foreach (string argument in (string[])["--bounding-set", "-sys_time", "--inh-caps", "-sys_time", "--", "bash", "-c",
                     $"exec '{ntpd}' -n -c '{config}' 2>>'{output}'"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["JOURNAL_STREAM"] = stream;
        using Process daemon = Process.Start(start) ?? throw new InvalidOperationException("cannot start setpriv");
        try
        {
            Assert.True(PublishedNtpd.WaitUntilServing(new IPEndPoint(IPAddress.Parse(Address), 123), TimeSpan.FromSeconds(20)), File.ReadAllText(output));
            Thread.Sleep(500);
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            daemon.WaitForExit(TimeSpan.FromSeconds(10));
        }

        return File.ReadAllText(output);
    }

    // "DEVICE:INODE" as systemd writes JOURNAL_STREAM (stat's %d and %i).
    private static string Stat(string path)
    {
        var start = new ProcessStartInfo("stat", ["-c", "%d:%i", path]) { UseShellExecute = false, RedirectStandardOutput = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start stat");
        string text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }
}

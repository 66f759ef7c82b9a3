// FakeNtpdateWorld: everything an in-process ntpdate test sets up — fake servers, fake time and
// clock driver, a name table and a recording syslog — and Run(args) returning the exit code and
// both output streams. Nothing here touches a real clock or socket.
using System.Net;
using System.Net.Sockets;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Tools.Ntpdate;

namespace Stratum.Cli.Tests.Ntpdate;

/// <summary>Everything a test sets up, and a way to run ntpdate in it.</summary>
internal sealed class FakeNtpdateWorld
{
    public const int ProcessId = 4242;

    private readonly Dictionary<string, string[]> _names = new(StringComparer.OrdinalIgnoreCase);
    private ulong _cookie = 0x5eed_0000_0000_0001;

    public FakeNtpdateWorld(params FakeServer[] servers)
    {
        Servers = servers;
        Clock = new FakeClockDriver(Time, 0);
    }

    public FakeTime Time { get; } = new();

    public IReadOnlyList<FakeServer> Servers { get; }

    public FakeClockDriver Clock { get; private set; }

    public RecordingSyslog Syslog { get; } = new();

    public FakeNtpNetwork? Network { get; private set; }

    public TransportOpenRequest? OpenRequest { get; private set; }

    /// <summary>When set, opening the transport fails with this error.</summary>
    public TransportError? OpenFailure { get; set; }

    /// <summary>Sets how far the local clock is off true time before the run.</summary>
    public FakeNtpdateWorld WithLocalClockError(double seconds)
    {
        Clock = new FakeClockDriver(Time, seconds);
        return this;
    }

    public FakeNtpdateWorld WithName(string name, params string[] addresses)
    {
        _names[name] = addresses;
        return this;
    }

    public (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new NtpdateEnvironment(
            Clock,
            OpenTransport,
            Resolve,
            ProcessId,
            TimeZoneInfo.Utc,
            NextCookie,
            Syslog);
        int exit = NtpdateCli.Run(args, stdout, stderr, environment);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private ulong NextCookie() => _cookie += 0x9e37_79b9_7f4a_7c15;

    private TransportOpenResult OpenTransport(TransportOpenRequest request, SntpClock clock)
    {
        OpenRequest = request;
        if (OpenFailure is { } failure)
        {
            return TransportOpenResult.Failed(failure);
        }

        Network = new FakeNtpNetwork(Time, Clock, Servers, UdpNtpTransport.NtpPort);
        return TransportOpenResult.Opened(Network);
    }

    private HostResolution Resolve(string name, AddressFamily family, int port)
    {
        string[] candidates = _names.TryGetValue(name, out var mapped) ? mapped : IPAddress.TryParse(name, out _) ? [name] : [];
        if (candidates.Length == 0)
        {
            return HostResolution.Failed(HostResolution.NameNotKnown, "Name or service not known");
        }

        var addresses = candidates.Select(IPAddress.Parse).Where(a => family == AddressFamily.Unspecified || a.AddressFamily == family).ToList();
        return addresses.Count == 0
            ? HostResolution.Failed(HostResolution.AddressFamilyMismatch, "Address family for hostname not supported")
            : HostResolution.Found(addresses);
    }
}

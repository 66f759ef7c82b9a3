// Collection fixture: the two reference servers, chronyd on 127.0.0.11 and ntpsec on 127.0.0.1,
// started on first use and stopped (by PID) when the interop collection ends. Shared by all interop
// test classes; they only ever query them, so sharing is safe.
namespace Stratum.Interop.Tests.Harness;

public sealed class AnchorServers : IAsyncDisposable
{
    private readonly DaemonSlot _chronyd = new();
    private readonly DaemonSlot _ntpsec = new();

    public Task<RunningDaemon> ChronydAsync(CancellationToken cancellationToken) =>
        _chronyd.GetAsync(DaemonLauncher.StartChronydAsync, cancellationToken);

    /// <summary>ntpsec once synchronised (orphan mode, stratum 1).</summary>
    public Task<RunningDaemon> NtpsecAsync(CancellationToken cancellationToken) =>
        _ntpsec.GetAsync(DaemonLauncher.StartNtpsecAsync, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _chronyd.DisposeAsync();
        await _ntpsec.DisposeAsync();
    }
}

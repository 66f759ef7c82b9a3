// Class fixture: one instance of our dist/ntpd for one test class, on the class's own address
// (InteropAddresses), started on first use and stopped by PID when the class ends.
using System.Net;

namespace Stratum.Interop.Tests.Harness;

public sealed class OurNtpdFixture : IAsyncDisposable
{
    private readonly DaemonSlot _slot = new();
    private IPAddress? _address;

    public Task<RunningDaemon> StartAsync(IPAddress address, CancellationToken cancellationToken)
    {
        if (_address is not null && !_address.Equals(address))
        {
            throw new InvalidOperationException($"this fixture already serves {_address}, not {address}");
        }

        _address = address;
        return _slot.GetAsync(token => DaemonLauncher.StartOurNtpdAsync(address, token), cancellationToken);
    }

    public ValueTask DisposeAsync() => _slot.DisposeAsync();
}

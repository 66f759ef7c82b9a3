// Starts one daemon at most once and shares it: the first test that asks starts it, later tests get
// the same instance, and a failed start is remembered so the next tests fail at once with the same
// message instead of waiting 10 s each. Prerequisite checks (skip or fail) run in the start function
// and are not remembered, so every test reports its own skip.
using Xunit.Sdk;

namespace Stratum.Interop.Tests.Harness;

public sealed class DaemonSlot : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RunningDaemon? _daemon;
    private string? _failure;

    public async Task<RunningDaemon> GetAsync(Func<CancellationToken, Task<RunningDaemon>> start,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_daemon is not null)
            {
                return _daemon;
            }

            if (_failure is not null)
            {
                Assert.Fail("failed to start earlier in this run:\n" + _failure);
            }

            try
            {
                _daemon = await start(cancellationToken);
                return _daemon;
            }
            catch (FailException exception)
            {
                _failure = exception.Message;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
            _daemon = null;
        }

        _gate.Dispose();
    }
}

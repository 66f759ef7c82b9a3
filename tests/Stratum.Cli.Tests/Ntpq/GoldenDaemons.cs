// GoldenDaemons: the daemons the ntpq and ntpdc golden tests query, started once per test class:
// both run one local clock at stratum 10 (system stratum 11) with the same restrict lines; one has
// `enable mode7` (ntpdc speaks mode 7 to it), the other not (ntpdc falls back to mode 6); a third has
// a controlkey, for the commands answered only to it (ifstats).
namespace Stratum.Cli.Tests.Ntpq;

public sealed class GoldenDaemons : IDisposable
{
    private readonly TestDaemon _mode7 = new(TestDaemon.LocalClockConfig + "\nenable mode7\n");
    private readonly TestDaemon _keyed = new(TestDaemon.WithControlKey(TestDaemon.LocalClockConfig));
    private readonly TestDaemon _mode6Only = new(TestDaemon.LocalClockConfig);

    public int Mode7Port => _mode7.Port;

    public int Mode6OnlyPort => _mode6Only.Port;

    public int ControlKeyPort => _keyed.Port;

    public void Dispose()
    {
        _mode7.Dispose();
        _mode6Only.Dispose();
        _keyed.Dispose();
    }
}

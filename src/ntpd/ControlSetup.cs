// ControlSetup: hands the control protocols (mode 6 and 7) what the config says about them: the
// enable/disable flags ntpdc sysinfo reports and `enable mode7`. (ntpq reslist lists the Engine's
// compiled restrict table, with its hit counts, so the restrict lines need no copy here.)
using Stratum.Core.Config;
using Stratum.Engine.Control;

namespace Stratum.Tools.Ntpd;

internal static class ControlSetup
{
    public static void Apply(NtpConfig config, ControlHostState host)
    {
        host.Mode7Enabled = config.System.Mode7;
        host.Ntp = config.System.ClockDiscipline;
        host.Kernel = config.System.KernelDiscipline;
        host.Statistics = config.System.Statistics;
        host.Authenticate = config.System.Authentication;
        host.BroadcastClient = config.System.BroadcastClient;
        host.Monitor = Stratum.Engine.Access.AccessSettings.MonitorWanted(config.System.Monitoring, config.Restrictions);
    }
}

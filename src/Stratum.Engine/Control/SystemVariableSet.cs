// SystemVariableSet: ntpd 4.2.8's system variables for READVAR on association 0 (ntp_control.c
// ctl_putsys): the default list ntpq rv prints, and the variables ntpq's sysinfo, sysstats,
// iostats, kerninfo, authinfo, monstats and timerstats ask for by name. Values come from the
// Engine (system variables, discipline, server counters) and from ControlHostState.
// The k* variables come from the kernel discipline, read (never written) once per second at most
// through ControlHostState.ReadKernelLoop, in ntpd's formats ("%g" of ms and ppm; the PPS ones zero
// while the kernel has no PPS signal, shift = 0); without a kernel they read zero, as in an ntpd
// built without the kernel discipline. mru_* describe the MRU list of the access control.
// auth* count the keys and the MACs checked and made by the server and the associations.
// `sysflags` is a Stratum addition (INFO_FLAG_* bits of ntpdc sysinfo) that ntpdc's mode 6
// fallback reads; never in the default list.
using System.Globalization;
using Stratum.Core.Mode6;
using Stratum.Core.Mode7;
using Stratum.Core.Time;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Control;

internal sealed class SystemVariableSet(NtpEngine engine, ControlResponder responder)
{
    private KernelLoopState? _kernel;
    private long _kernelReadSecond = -1;

    /// <summary>ntpd's minimum loop time constant (`tinker` default), shown as mintc.</summary>
    private const int MinimumTimeConstant = 3;

    /// <summary>The default list of `ntpq -c rv`, in ntpd's order.</summary>
    public static readonly string[] DefaultVariables =
    [
        "version", "processor", "system", "leap", "stratum", "precision", "rootdelay", "rootdisp", "refid",
        "reftime", "clock", "peer", "tc", "mintc", "offset", "frequency", "sys_jitter", "clk_jitter", "clk_wander",
        "tai", "leapsec", "expire", "leapsmearinterval", "leapsmearoffset",
    ];

    /// <summary>Variables answered only when asked for by name.</summary>
    public static readonly string[] ExtraVariables =
    [
        "peeradr", "peermode", "bcastdelay", "authdelay", "sysflags", "peer_reason", "peer_changes",
        "ss_uptime", "ss_reset", "ss_received", "ss_thisver", "ss_oldver", "ss_badformat", "ss_badauth", "ss_declined",
        "ss_restricted", "ss_limited", "ss_kodsent", "ss_processed", "ss_numctlreq",
        "iostats_reset", "total_rbuf", "free_rbuf", "used_rbuf", "rbuf_lowater", "io_dropped", "io_ignored", "io_received",
        "io_sent", "io_sendfailed", "io_wakeups", "io_goodwakeups",
        "koffset", "kfreq", "kmaxerr", "kesterr", "kstflags", "ktimeconst", "kprecis", "kfreqtol", "kppsfreq", "kppsstab",
        "kppsjitter", "kppscalibdur", "kppscalibs", "kppsjitexc", "kppsstbexc", "kppscaliberrs",
        "authreset", "authkeys", "authfreek", "authklookups", "authknotfound", "authkuncached", "authkexpired",
        "authencrypts", "authdecrypts",
        "timerstats_reset", "timer_overruns", "timer_xmts",
        "mru_enabled", "mru_depth", "mru_deepest", "mru_maxdepth", "mru_mindepth", "mru_maxage", "mru_mem", "mru_maxmem",
    ];

    public static bool IsKnown(string name) => Array.IndexOf(DefaultVariables, name) >= 0 || Array.IndexOf(ExtraVariables, name) >= 0;

    /// <summary>Appends one system variable (a known name).</summary>
    public void Write(string name, ControlVariableWriter writer, LoopTime now)
    {
        SystemVariables system = engine.System;
        Discipline.DisciplineStatus discipline = engine.Sources.Discipline.Status;
        ControlHostState host = responder.Host;
        Server.ServerCounters server = engine.Server.Counters;
        ControlAssociation? peer = responder.SystemPeerAssociation();
        long uptime = responder.UptimeSeconds(now);
        switch (name)
        {
            case "version": writer.AddString(name, responder.Identity.Version); break;
            case "processor": writer.AddString(name, responder.Identity.Processor); break;
            case "system": writer.AddString(name, responder.Identity.System); break;
            case "leap": writer.AddInteger(name, (int)system.Leap); break;
            case "stratum": writer.AddInteger(name, system.Stratum); break;
            case "precision": writer.AddInteger(name, system.Precision); break;
            case "rootdelay": writer.AddMilliseconds(name, system.RootDelay); break;
            case "rootdisp": writer.AddMilliseconds(name, system.IsSynchronized ? system.RootDispersionAt(now.MonoSeconds) : 0); break;
            case "refid": writer.AddRaw(name, responder.SystemReferenceIdText()); break;
            case "reftime": writer.AddTimestamp(name, system.ReferenceTime); break;
            case "clock": writer.AddTimestamp(name, now.Real); break;
            case "peer": writer.AddInteger(name, peer?.Id ?? 0); break;
            // The clock discipline's state (ntpd's loop variables): offset and jitters in ms, frequency and wander in PPM.
            case "tc": writer.AddInteger(name, discipline.TimeConstant); break;
            case "mintc": writer.AddInteger(name, MinimumTimeConstant); break;
            case "offset": writer.AddMillisecondsPrecise(name, engine.Sources.SystemOffset); break;
            case "frequency": writer.AddFixed3(name, discipline.Frequency * 1e6); break;
            case "sys_jitter": writer.AddMillisecondsPrecise(name, engine.Sources.SystemJitter); break;
            case "clk_jitter": writer.AddMilliseconds(name, discipline.Jitter); break;
            case "clk_wander": writer.AddFixed3(name, discipline.Wander * 1e6); break;
            case "peeradr": writer.AddRaw(name, peer is null ? "0.0.0.0:0" : FormatEndpoint(peer.Source)); break;
            case "peermode": writer.AddInteger(name, peer?.HostMode ?? 0); break;
            case "bcastdelay": writer.AddMilliseconds(name, engine.Casting.Settings.BroadcastDelay ?? 0); break;
            case "authdelay": writer.AddMilliseconds(name, 0); break;
            case "sysflags": writer.AddHex(name, responder.SystemFlags()); break;
            case "peer_reason": writer.AddString(name, engine.Sources.SystemPeerReason); break;
            case "peer_changes": writer.AddInteger(name, engine.Sources.SystemPeerChanges); break;
            case "ss_reset": writer.AddInteger(name, responder.StatisticsAgeSeconds(now)); break;
            case "ss_uptime" or "iostats_reset" or "authreset" or "timerstats_reset": writer.AddInteger(name, uptime); break;
            case "ss_received": writer.AddInteger(name, server.Received); break;
            case "ss_thisver": writer.AddInteger(name, server.CurrentVersion); break;
            case "ss_oldver": writer.AddInteger(name, server.OlderVersion); break;
            case "ss_badformat": writer.AddInteger(name, server.DroppedMalformed); break;
            case "ss_badauth": writer.AddInteger(name, server.CryptoNaks); break;
            case "ss_declined": writer.AddInteger(name, server.Declined); break;
            case "ss_restricted": writer.AddInteger(name, server.Restricted); break;
            case "ss_limited": writer.AddInteger(name, server.RateLimited); break;
            case "ss_kodsent": writer.AddInteger(name, server.KodSent); break;
            case "ss_processed": writer.AddInteger(name, server.Replied); break;
            case "ss_numctlreq": writer.AddInteger(name, responder.Requests); break;
            case "io_dropped": writer.AddInteger(name, host.Dropped); break;
            case "io_ignored": writer.AddInteger(name, server.Dropped + responder.Dropped); break;
            case "io_received": writer.AddInteger(name, host.Received); break;
            case "io_sent": writer.AddInteger(name, host.Sent); break;
            case "io_sendfailed": writer.AddInteger(name, host.SendFailures); break;
            case "io_wakeups": writer.AddInteger(name, host.Wakeups); break;
            case "io_goodwakeups": writer.AddInteger(name, host.UsefulWakeups); break;
            // With a leap file (ntpd's CS_TAI, CS_LEAPTAB, CS_LEAPEND): written only when known.
            case "tai": WriteTai(name, writer, now); break;
            case "leapsec" or "expire": WriteLeapTime(name, writer); break;
            // With `leapsmearinterval` (ntpd's CS_LEAPSMEARINTV, CS_LEAPSMEAROFFS): written only when on.
            case "leapsmearinterval" when system.LeapSmearInterval > 0: writer.AddInteger(name, (long)system.LeapSmearInterval); break;
            case "leapsmearoffset" when system.LeapSmearInterval > 0:
                writer.AddMilliseconds(name, system.LeapSmearWindow is { } smear ? smear.OffsetAt(now.Mono) : 0);
                break;
            case "leapsmearinterval" or "leapsmearoffset": break;
            case "timer_xmts": writer.AddInteger(name, engine.Sources.Sources.Sum(source => source.Association.PacketsSent)); break;
            case "authkeys": writer.AddInteger(name, engine.Server.Keys.Count); break;
            case "authklookups": writer.AddInteger(name, server.KeyLookups); break;
            case "authknotfound": writer.AddInteger(name, server.KeyNotFound); break;
            case "authencrypts": writer.AddInteger(name, server.MacsSigned + engine.Sources.Sources.Sum(source => source.Association.MacsSigned)); break;
            case "authdecrypts": writer.AddInteger(name, server.MacsVerified + engine.Sources.Sources.Sum(source => source.Association.MacsVerified)); break;
            case "mru_enabled": writer.AddInteger(name, host.Monitor ? 1 : 0); break;
            case "mru_depth": writer.AddInteger(name, Mru?.Count ?? 0); break;
            case "mru_deepest": writer.AddInteger(name, Mru?.PeakCount ?? 0); break;
            case "mru_maxdepth": writer.AddInteger(name, Mru?.Capacity ?? 0); break;
            case "mru_mindepth": writer.AddInteger(name, Mru?.Settings.MinDepth ?? 0); break;
            case "mru_maxage": writer.AddInteger(name, Mru?.Settings.MaxAgeSeconds ?? 0); break;
            case "mru_mem": writer.AddInteger(name, ((long)(Mru?.Count ?? 0) * Access.MruList.BytesPerEntry + 1023) / 1024); break;
            case "mru_maxmem": writer.AddInteger(name, ((long)(Mru?.Capacity ?? 0) * Access.MruList.BytesPerEntry + 1023) / 1024); break;
            default:
                if (name.StartsWith('k') && KernelLoop(host, now) is KernelLoopState kernel)
                {
                    WriteKernel(name, kernel, writer);
                }
                else if (name == "kstflags")
                {
                    writer.AddString(name, string.Empty);
                }
                else
                {
                    writer.AddInteger(name, 0);
                }

                break;
        }
    }

    private Access.MruList? Mru => engine.Server.Access?.Mru;

    private void WriteTai(string name, ControlVariableWriter writer, LoopTime now)
    {
        if (engine.Sources.LeapTable?.TaiOffsetAt(now.Real) is int tai and > 0)
        {
            writer.AddInteger(name, tai);
        }
    }

    /// <summary>leapsec: the last transition in the leap file; expire: its expiry; as ntpd's
    /// ctl_putfs writes them, YYYYMMDDhhmm in UTC.</summary>
    private void WriteLeapTime(string name, ControlVariableWriter writer)
    {
        if (engine.Sources.LeapTable is not { } table)
        {
            return;
        }

        long secondsSince1900 = name == "expire" ? table.Expiry : table.Entries.Count > 0 ? table.Entries[^1].SecondsSince1900 : 0;
        if (secondsSince1900 > 0)
        {
            DateTime utc = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(secondsSince1900);
            writer.AddRaw(name, utc.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The kernel's state, read at most once per second (as ntpd caches its ntp_adjtime);
    /// mode 7's REQ_GET_KERNEL reads the same cache.</summary>
    internal KernelLoopState? KernelLoop(ControlHostState host, LoopTime now)
    {
        long second = now.Mono / 1_000_000_000;
        if (host.ReadKernelLoop is null)
        {
            return null;
        }

        if (_kernelReadSecond != second || _kernel is null)
        {
            _kernel = host.ReadKernelLoop();
            _kernelReadSecond = second;
        }

        return _kernel;
    }

    /// <summary>ntpd's ctl_putsys for the k* variables: milliseconds and ppm with "%g".</summary>
    private static void WriteKernel(string name, KernelLoopState kernel, ControlVariableWriter writer)
    {
        const double Microsecond = 1e-6;
        bool pps = kernel.PpsShift != 0;
        switch (name)
        {
            case "koffset": writer.AddGeneral(name, kernel.Offset * kernel.FineUnitSeconds * 1e3); break;
            case "kfreq": writer.AddGeneral(name, kernel.Frequency / KernelLoopState.FrequencyScale); break;
            case "kmaxerr": writer.AddGeneral(name, kernel.MaxError * Microsecond * 1e3); break;
            case "kesterr": writer.AddGeneral(name, kernel.EstimatedError * Microsecond * 1e3); break;
            case "kstflags": writer.AddString(name, KernelStatusText.Format(kernel.Status)); break;
            case "ktimeconst": writer.AddInteger(name, kernel.TimeConstant); break;
            case "kprecis": writer.AddGeneral(name, kernel.Precision * Microsecond * 1e3); break;
            case "kfreqtol": writer.AddGeneral(name, kernel.Tolerance / KernelLoopState.FrequencyScale); break;
            case "kppsfreq" when pps: writer.AddGeneral(name, kernel.PpsFrequency / KernelLoopState.FrequencyScale); break;
            case "kppsstab" when pps: writer.AddGeneral(name, kernel.PpsStability / KernelLoopState.FrequencyScale); break;
            case "kppsjitter" when pps: writer.AddFixed3(name, kernel.PpsJitter * kernel.FineUnitSeconds * 1e3); break;
            case "kppscalibdur" when pps: writer.AddInteger(name, 1L << kernel.PpsShift); break;
            case "kppscalibs" when pps: writer.AddInteger(name, kernel.PpsCalibrationCount); break;
            case "kppsjitexc" when pps: writer.AddInteger(name, kernel.PpsJitterCount); break;
            case "kppsstbexc" when pps: writer.AddInteger(name, kernel.PpsStabilityCount); break;
            case "kppscaliberrs" when pps: writer.AddInteger(name, kernel.PpsErrorCount); break;
            default: writer.AddInteger(name, 0); break;
        }
    }

    /// <summary>sptoa: "addr:port", IPv6 in brackets; a refclock as its 127.127.t.u address.</summary>
    public static string FormatEndpoint(System.Net.IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{endpoint.Address}]:{endpoint.Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{endpoint.Address}:{endpoint.Port}");

    /// <summary>INFO_FLAG_* bits of ntpdc sysinfo "system flags".</summary>
    public static byte Flags(ControlHostState host)
    {
        byte flags = host.BroadcastClient ? SystemInfoItem.FlagBroadcastClient : (byte)0;
        if (host.Authenticate)
        {
            flags |= SystemInfoItem.FlagAuthenticate;
        }

        if (host.Monitor)
        {
            flags |= SystemInfoItem.FlagMonitor;
        }

        if (host.Ntp)
        {
            flags |= SystemInfoItem.FlagNtp;
            if (host.Kernel)
            {
                flags |= SystemInfoItem.FlagKernel;
            }
        }

        if (host.Statistics)
        {
            flags |= SystemInfoItem.FlagStatistics;
        }

        return flags;
    }
}

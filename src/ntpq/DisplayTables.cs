// DisplayTables: the "variable display collections" of ntpq 4.2.8 (ntpq-subs.c sysinfo, kerninfo,
// sysstats, monstats, iostats, timerstats, authinfo, pstats): which variables each command reads
// with one READVAR and the label printed before each value ("%s  %s\n"). Kinds say how the value
// is shown: as sent, an address (NTP_ADP, or NTP_ADD from a name+"adr"/"port" pair), a timestamp
// through prettydate (NTP_LFP), a mode name (NTP_MODE) or two leap bits (NTP_2BIT).
namespace Stratum.Tools.Ntpq;

/// <summary>How a collected value is printed.</summary>
internal enum DisplayKind
{
    Text,
    AddressPort,
    AddressPair,
    Timestamp,
    Mode,
    LeapBits,
}

/// <summary>The label tables.</summary>
internal static class DisplayTables
{
    public static readonly (string Tag, string Label, DisplayKind Kind)[] SystemInfo =
    [
        ("peeradr", "system peer:      ", DisplayKind.AddressPort),
        ("peermode", "system peer mode: ", DisplayKind.Mode),
        ("leap", "leap indicator:   ", DisplayKind.LeapBits),
        ("stratum", "stratum:          ", DisplayKind.Text),
        ("precision", "log2 precision:   ", DisplayKind.Text),
        ("rootdelay", "root delay:       ", DisplayKind.Text),
        ("rootdisp", "root dispersion:  ", DisplayKind.Text),
        ("refid", "reference ID:     ", DisplayKind.Text),
        ("reftime", "reference time:   ", DisplayKind.Timestamp),
        ("sys_jitter", "system jitter:    ", DisplayKind.Text),
        ("clk_jitter", "clock jitter:     ", DisplayKind.Text),
        ("clk_wander", "clock wander:     ", DisplayKind.Text),
        ("bcastdelay", "broadcast delay:  ", DisplayKind.Text),
        ("authdelay", "symm. auth. delay:", DisplayKind.Text),
    ];

    public static readonly (string Tag, string Label, DisplayKind Kind)[] KernelInfo =
    [
        ("koffset", "pll offset:          ", DisplayKind.Text),
        ("kfreq", "pll frequency:       ", DisplayKind.Text),
        ("kmaxerr", "maximum error:       ", DisplayKind.Text),
        ("kesterr", "estimated error:     ", DisplayKind.Text),
        ("kstflags", "kernel status:       ", DisplayKind.Text),
        ("ktimeconst", "pll time constant:   ", DisplayKind.Text),
        ("kprecis", "precision:           ", DisplayKind.Text),
        ("kfreqtol", "frequency tolerance: ", DisplayKind.Text),
        ("kppsfreq", "pps frequency:       ", DisplayKind.Text),
        ("kppsstab", "pps stability:       ", DisplayKind.Text),
        ("kppsjitter", "pps jitter:          ", DisplayKind.Text),
        ("kppscalibdur", "calibration interval ", DisplayKind.Text),
        ("kppscalibs", "calibration cycles:  ", DisplayKind.Text),
        ("kppsjitexc", "jitter exceeded:     ", DisplayKind.Text),
        ("kppsstbexc", "stability exceeded:  ", DisplayKind.Text),
        ("kppscaliberrs", "calibration errors:  ", DisplayKind.Text),
    ];

    public static readonly (string Tag, string Label, DisplayKind Kind)[] SystemStats =
    [
        ("ss_uptime", "uptime:               ", DisplayKind.Text),
        ("ss_reset", "sysstats reset:       ", DisplayKind.Text),
        ("ss_received", "packets received:     ", DisplayKind.Text),
        ("ss_thisver", "current version:      ", DisplayKind.Text),
        ("ss_oldver", "older version:        ", DisplayKind.Text),
        ("ss_badformat", "bad length or format: ", DisplayKind.Text),
        ("ss_badauth", "authentication failed:", DisplayKind.Text),
        ("ss_declined", "declined:             ", DisplayKind.Text),
        ("ss_restricted", "restricted:           ", DisplayKind.Text),
        ("ss_limited", "rate limited:         ", DisplayKind.Text),
        ("ss_kodsent", "KoD responses:        ", DisplayKind.Text),
        ("ss_processed", "processed for time:   ", DisplayKind.Text),
    ];

    public static readonly (string Tag, string Label, DisplayKind Kind)[] MonitorStats =
    [
        ("mru_enabled", "enabled:            ", DisplayKind.Text),
        ("mru_depth", "addresses:          ", DisplayKind.Text),
        ("mru_deepest", "peak addresses:     ", DisplayKind.Text),
        ("mru_maxdepth", "maximum addresses:  ", DisplayKind.Text),
        ("mru_mindepth", "reclaim above count:", DisplayKind.Text),
        ("mru_maxage", "reclaim older than: ", DisplayKind.Text),
        ("mru_mem", "kilobytes:          ", DisplayKind.Text),
        ("mru_maxmem", "maximum kilobytes:  ", DisplayKind.Text),
    ];

    public static readonly (string Tag, string Label, DisplayKind Kind)[] IoStats =
    [
        ("iostats_reset", "time since reset:     ", DisplayKind.Text),
        ("total_rbuf", "receive buffers:      ", DisplayKind.Text),
        ("free_rbuf", "free receive buffers: ", DisplayKind.Text),
        ("used_rbuf", "used receive buffers: ", DisplayKind.Text),
        ("rbuf_lowater", "low water refills:    ", DisplayKind.Text),
        ("io_dropped", "dropped packets:      ", DisplayKind.Text),
        ("io_ignored", "ignored packets:      ", DisplayKind.Text),
        ("io_received", "received packets:     ", DisplayKind.Text),
        ("io_sent", "packets sent:         ", DisplayKind.Text),
        ("io_sendfailed", "packet send failures: ", DisplayKind.Text),
        ("io_wakeups", "input wakeups:        ", DisplayKind.Text),
        ("io_goodwakeups", "useful input wakeups: ", DisplayKind.Text),
    ];

    public static readonly (string Tag, string Label, DisplayKind Kind)[] TimerStats =
    [
        ("timerstats_reset", "time since reset:  ", DisplayKind.Text),
        ("timer_overruns", "timer overruns:    ", DisplayKind.Text),
        ("timer_xmts", "calls to transmit: ", DisplayKind.Text),
    ];

    public static readonly (string Tag, string Label, DisplayKind Kind)[] AuthInfo =
    [
        ("authreset", "time since reset:", DisplayKind.Text),
        ("authkeys", "stored keys:     ", DisplayKind.Text),
        ("authfreek", "free keys:       ", DisplayKind.Text),
        ("authklookups", "key lookups:     ", DisplayKind.Text),
        ("authknotfound", "keys not found:  ", DisplayKind.Text),
        ("authkuncached", "uncached keys:   ", DisplayKind.Text),
        ("authkexpired", "expired keys:    ", DisplayKind.Text),
        ("authencrypts", "encryptions:     ", DisplayKind.Text),
        ("authdecrypts", "decryptions:     ", DisplayKind.Text),
    ];

    public static readonly (string Tag, string Label, DisplayKind Kind)[] PeerStats =
    [
        ("src", "remote host:         ", DisplayKind.AddressPair),
        ("dst", "local address:       ", DisplayKind.AddressPair),
        ("timerec", "time last received:  ", DisplayKind.Text),
        ("timer", "time until next send:", DisplayKind.Text),
        ("timereach", "reachability change: ", DisplayKind.Text),
        ("sent", "packets sent:        ", DisplayKind.Text),
        ("received", "packets received:    ", DisplayKind.Text),
        ("badauth", "bad authentication:  ", DisplayKind.Text),
        ("bogusorg", "bogus origin:        ", DisplayKind.Text),
        ("oldpkt", "duplicate:           ", DisplayKind.Text),
        ("seldisp", "bad dispersion:      ", DisplayKind.Text),
        ("selbroken", "bad reference time:  ", DisplayKind.Text),
        ("candidate", "candidate order:     ", DisplayKind.Text),
    ];
}

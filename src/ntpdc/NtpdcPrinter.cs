// NtpdcPrinter: ntpdc 4.2.8's output formats (ntpdc_ops.c sysinfo, peers/dmpeers, listpeers,
// showpeer, loopinfo, sysstats, iostats, kerninfo), from mode 7 items whichever protocol they came
// by. Numbers go through libntp's fptoa/ufptoa/lfptoa (FixedPointText) and prettydate.
// Deviation: lfptoa values print without a '+' for non-negative numbers, as in the guides'
// sysinfo sample ("authdelay: 0.000000 s"), which is how ntpdc printed them before 4.2.8p?'s mfptoa.
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Client.Display;
using Stratum.Core.Mode6;
using Stratum.Core.Mode7;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpdc;

internal sealed class NtpdcPrinter(bool numericHosts, long nowUnixNanoseconds, TimeZoneInfo zone, Func<IPAddress, string?>? reverseLookup)
{
    private static readonly string[] s_modes = ["unspec", "sym_active", "sym_passive", "client", "server", "broadcast", "control", "private", "bclient"];

    public const string PeersHeader =
        "     remote           local      st poll reach  delay   offset    disp\n"
        + "=======================================================================\n";

    public string SystemInfo(SystemInfoItem item)
    {
        var text = new StringBuilder();
        text.Append("system peer:          ").Append(HostName(item.Peer)).Append('\n');
        text.Append("system peer mode:     ").Append(Mode(item.PeerMode)).Append('\n');
        text.Append("leap indicator:       ").Append((item.Leap & 2) != 0 ? '1' : '0').Append((item.Leap & 1) != 0 ? '1' : '0').Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"stratum:              {item.Stratum}\n");
        text.Append(CultureInfo.InvariantCulture, $"precision:            {item.Precision}\n");
        text.Append("root distance:        ").Append(FixedPointText.ShortSigned(item.RootDelay, 5)).Append(" s\n");
        text.Append("root dispersion:      ").Append(FixedPointText.ShortUnsigned(item.RootDispersion, 5)).Append(" s\n");
        text.Append("reference ID:         [").Append(RefidString(item.ReferenceId, item.Stratum)).Append("]\n");
        text.Append("reference time:       ").Append(PrettyDate.Format(new NtpTimestamp(item.ReferenceTime), nowUnixNanoseconds, zone)).Append('\n');
        text.Append("system flags:         ").Append(SystemFlags(item.Flags)).Append('\n');
        text.Append("jitter:               ").Append(FixedPointText.ShortSigned(item.Jitter, 6)).Append(" s\n");
        text.Append("stability:            ").Append(FixedPointText.ShortUnsigned(item.Stability, 3)).Append(" ppm\n");
        text.Append("broadcastdelay:       ").Append(FixedPointText.ShortSigned(item.BroadcastDelay, 6)).Append(" s\n");
        text.Append("authdelay:            ").Append(LongText(item.AuthDelay, 6)).Append(" s\n");
        return text.ToString();
    }

    public string Peers(IReadOnlyList<PeerSummaryItem> items, bool millsStyle, System.Net.Sockets.AddressFamily? family)
    {
        var text = new StringBuilder(PeersHeader);
        foreach (PeerSummaryItem item in items)
        {
            if (family is { } wanted && item.SourceAddress.AddressFamily != wanted)
            {
                continue;
            }

            char tally = millsStyle
                ? (item.Flags & PeerSummaryItem.FlagSystemPeer) != 0 ? '*' : (item.Flags & PeerSummaryItem.FlagShortlist) != 0 ? '+' : (item.Flags & PeerSummaryItem.FlagCandidate) != 0 ? '.' : ' '
                : (item.Flags & PeerSummaryItem.FlagSystemPeer) != 0 ? '*' : item.HostMode switch
                {
                    1 => '+',
                    2 => '-',
                    3 => '=',
                    5 => '^',
                    6 => '~',
                    _ => ' ',
                };
            int poll = 1 << Math.Max(Math.Min(Math.Min((int)item.PeerPoll, item.HostPoll), 17), 3);
            text.Append(tally)
                .Append(Fit(HostName(item.SourceAddress), 15, left: true)).Append(' ')
                .Append(Fit(item.LocalAddress.ToString(), 15, left: true)).Append(' ')
                .Append(item.Stratum.ToString(CultureInfo.InvariantCulture).PadLeft(2)).Append(' ')
                .Append(poll.ToString(CultureInfo.InvariantCulture).PadLeft(4)).Append("  ")
                .Append(Convert.ToString(item.Reach, 8).PadLeft(3)).Append(' ')
                .Append(Fit(FixedPointText.ShortSigned(item.Delay, 5), 7, left: false)).Append(' ')
                .Append(Fit(LongText(item.Offset, 6), 9, left: false)).Append(' ')
                .Append(Fit(FixedPointText.ShortUnsigned(item.Dispersion, 5), 7, left: false)).Append('\n');
        }

        return text.ToString();
    }

    public string ListPeers(IReadOnlyList<PeerListItem> items, System.Net.Sockets.AddressFamily? family)
    {
        var text = new StringBuilder();
        foreach (PeerListItem item in items)
        {
            if (family is null || item.Address.AddressFamily == family)
            {
                text.Append(Mode(item.HostMode).PadRight(9)).Append(' ').Append(HostName(item.Address)).Append('\n');
            }
        }

        return text.ToString();
    }

    public string ShowPeer(PeerInfoItem peer)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"remote {peer.SourceAddress}, local {peer.LocalAddress}\n");
        text.Append(CultureInfo.InvariantCulture, $"hmode {Mode(peer.HostMode)}, pmode {Mode(peer.PeerMode)}, stratum {peer.Stratum}, precision {peer.Precision}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"leap {((peer.Leap & 2) != 0 ? '1' : '0')}{((peer.Leap & 1) != 0 ? '1' : '0')}, refid [{RefidString(peer.ReferenceId, peer.Stratum)}], rootdistance {FixedPointText.ShortSigned(peer.RootDelay, 5)}, rootdispersion {FixedPointText.ShortUnsigned(peer.RootDispersion, 5)}\n");
        text.Append(CultureInfo.InvariantCulture, $"ppoll {peer.PeerPoll}, hpoll {peer.HostPoll}, keyid {peer.KeyId}, version {peer.Version}, association {peer.AssociationId}\n");
        text.Append(CultureInfo.InvariantCulture, $"reach {Convert.ToString(peer.Reach, 8).PadLeft(3, '0')}, unreach {peer.Unreach}, flash 0x{peer.Flash:x4}, ");
        text.Append("boffset ").Append(FixedPointText.ShortSigned(0, 5)).Append(", ttl/mode 0\n");
        text.Append(CultureInfo.InvariantCulture, $"timer {peer.Timer}s, flags").Append(PeerFlags(peer.Flags)).Append('\n');
        text.Append("reference time:      ").Append(PrettyDate.Format(new NtpTimestamp(peer.ReferenceTime), nowUnixNanoseconds, zone)).Append('\n');
        text.Append("originate timestamp: ").Append(PrettyDate.Format(new NtpTimestamp(peer.Origin), nowUnixNanoseconds, zone)).Append('\n');
        text.Append("receive timestamp:   ").Append(PrettyDate.Format(new NtpTimestamp(peer.Receive), nowUnixNanoseconds, zone)).Append('\n');
        text.Append("transmit timestamp:  ").Append(PrettyDate.Format(new NtpTimestamp(peer.Transmit), nowUnixNanoseconds, zone)).Append('\n');
        AppendFilter(text, "filter delay: ", i => FixedPointText.ShortSigned(peer.FilterDelay[i], 5));
        AppendFilter(text, "filter offset:", i => LongText(peer.FilterOffset[i], 6));
        AppendFilter(text, "filter order: ", i => peer.FilterOrder[i].ToString(CultureInfo.InvariantCulture));
        text.Append(CultureInfo.InvariantCulture,
            $"offset {LongText(peer.Offset, 6)}, delay {FixedPointText.ShortSigned(peer.Delay, 5)}, error bound {FixedPointText.ShortUnsigned(peer.Dispersion, 5)}, filter error {FixedPointText.ShortUnsigned(peer.SelectDispersion, 5)}\n");
        return text.ToString();
    }

    public static string LoopInfo(LoopInfoItem item, bool oneLine) => oneLine
        ? string.Create(CultureInfo.InvariantCulture,
            $"offset {LongText(item.LastOffset, 6)}, frequency {LongText(item.DriftCompensation, 3)}, time_const {item.Compliance}, watchdog {item.WatchdogTimer}\n")
        : string.Create(CultureInfo.InvariantCulture,
            $"offset:               {LongText(item.LastOffset, 6)} s\nfrequency:            {LongText(item.DriftCompensation, 3)} ppm\npoll adjust:          {item.Compliance}\nwatchdog timer:       {item.WatchdogTimer} s\n");

    public static string SystemStats(SystemStatsItem item) => string.Create(CultureInfo.InvariantCulture,
        $"time since restart:     {item.TimeUp}\ntime since reset:       {item.TimeReset}\npackets received:       {item.Received}\npackets processed:      {item.Processed}\ncurrent version:        {item.NewVersion}\nprevious version:       {item.OldVersion}\ndeclined:               {item.UnknownVersion}\naccess denied:          {item.Denied}\nbad length or format:   {item.BadLength}\nbad authentication:     {item.BadAuthentication}\nrate exceeded:          {item.LimitRejected}\n");

    public static string IoStats(IoStatsItem item) => string.Create(CultureInfo.InvariantCulture,
        $"time since reset:     {item.TimeReset}\nreceive buffers:      {item.TotalReceiveBuffers}\nfree receive buffers: {item.FreeReceiveBuffers}\nused receive buffers: {item.FullReceiveBuffers}\nlow water refills:    {item.LowWater}\ndropped packets:      {item.Dropped}\nignored packets:      {item.Ignored}\nreceived packets:     {item.Received}\npackets sent:         {item.Sent}\npackets not sent:     {item.NotSent}\ninterrupts handled:   {item.Interrupts}\nreceived by int:      {item.InterruptReceived}\n");

    public static string KernelInfo(KernelInfoItem item)
    {
        double scale = (item.Status & KernelInfoItem.StatusNano) != 0 ? 1e-9 : 1e-6;
        var text = new StringBuilder();
        text.Append("pll offset:           ").Append(CNumberFormat.General(item.Offset * scale)).Append(" s\n");
        text.Append("pll frequency:        ").Append(FixedPointText.ShortSigned(item.Frequency, 3)).Append(" ppm\n");
        text.Append("maximum error:        ").Append(CNumberFormat.General((uint)item.MaxError * 1e-6)).Append(" s\n");
        text.Append("estimated error:      ").Append(CNumberFormat.General((uint)item.EstimatedError * 1e-6)).Append(" s\n");
        text.Append(CultureInfo.InvariantCulture, $"status:               {item.Status:x4} ").Append(KernelStatus(item.Status)).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"pll time constant:    {item.Constant}\n");
        text.Append("precision:            ").Append(CNumberFormat.General((uint)item.Precision * 1e-6)).Append(" s\n");
        text.Append("frequency tolerance:  ").Append(FixedPointText.ShortSigned(item.Tolerance, 0)).Append(" ppm\n");
        if (item.Shift != 0)
        {
            text.Append("pps frequency:        ").Append(FixedPointText.ShortSigned(item.PpsFrequency, 3)).Append(" ppm\n");
            text.Append("pps stability:        ").Append(FixedPointText.ShortSigned(item.Stability, 3)).Append(" ppm\n");
            text.Append("pps jitter:           ").Append(CNumberFormat.General((uint)item.Jitter * scale)).Append(" s\n");
            text.Append(CultureInfo.InvariantCulture, $"calibration interval: {1 << item.Shift} s\n");
            text.Append(CultureInfo.InvariantCulture, $"calibration cycles:   {item.CalibrationCount}\njitter exceeded:      {item.JitterCount}\nstability exceeded:   {item.StabilityCount}\ncalibration errors:   {item.ErrorCount}\n");
        }

        return text.ToString();
    }

    private static void AppendFilter(StringBuilder text, string label, Func<int, string> value)
    {
        text.Append(label);
        for (int i = 0; i < PeerInfoItem.FilterStages; i++)
        {
            string item = value(i);
            text.Append(' ').Append((item.Length > 8 ? item[..8] : item).PadRight(8));
            if (i == (PeerInfoItem.FilterStages / 2) - 1)
            {
                text.Append("\n              ");
            }
        }

        text.Append('\n');
    }

    /// <summary>lfptoa without '+' (see the file header).</summary>
    private static string LongText(long raw, int decimals) => FixedPointText.SignedSeconds(new NtpDuration(raw), decimals).TrimStart('+');

    private static string Mode(byte mode) => mode < s_modes.Length ? s_modes[mode] : "mode#" + mode.ToString(CultureInfo.InvariantCulture);

    private static string Fit(string text, int width, bool left)
    {
        string cut = text.Length > width ? text[..width] : text;
        return left ? cut.PadRight(width) : cut.PadLeft(width);
    }

    /// <summary>refid_string: the four characters at stratum 0 and 1, else the dotted quad.</summary>
    private static string RefidString(uint refid, byte stratum)
    {
        if (stratum <= 1)
        {
            var text = new StringBuilder();
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                char c = (char)((refid >> shift) & 0xFF);
                if (c == '\0')
                {
                    break;
                }

                text.Append(c);
            }

            return text.ToString();
        }

        return string.Create(CultureInfo.InvariantCulture, $"{refid >> 24}.{(refid >> 16) & 0xFF}.{(refid >> 8) & 0xFF}.{refid & 0xFF}");
    }

    /// <summary>nntohost: LOCAL(u) for a refclock, a reverse-resolved name, or the address (-n).</summary>
    private string HostName(IPAddress address)
    {
        if (numericHosts || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return address.ToString();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes() is [127, 127, byte type, byte unit])
        {
            return type == 1 ? $"LOCAL({unit})" : $"REFCLK({type},{unit})";
        }

        return reverseLookup?.Invoke(address) ?? address.ToString();
    }

    private static string SystemFlags(byte flags)
    {
        if (flags == 0)
        {
            return "none";
        }

        var text = new StringBuilder();
        (byte Bit, string Word)[] words =
        [
            (SystemInfoItem.FlagBroadcastClient, "bclient"), (SystemInfoItem.FlagAuthenticate, "auth"), (SystemInfoItem.FlagMonitor, "monitor"),
            (SystemInfoItem.FlagNtp, "ntp"), (SystemInfoItem.FlagKernel, "kernel"), (SystemInfoItem.FlagStatistics, "stats"),
            (SystemInfoItem.FlagCalibrate, "calibrate"), (SystemInfoItem.FlagPpsSync, "pps"),
        ];
        foreach ((byte bit, string word) in words)
        {
            if ((flags & bit) != 0)
            {
                text.Append(word).Append(' ');
            }
        }

        return text.ToString();
    }

    private static string PeerFlags(byte flags)
    {
        if (flags == 0)
        {
            return " none";
        }

        var parts = new List<string>();
        (byte Bit, string Word)[] words =
        [
            (PeerSummaryItem.FlagSystemPeer, "system_peer"), (PeerSummaryItem.FlagConfigured, "config"), (PeerSummaryItem.FlagRefclock, "refclock"),
            (PeerSummaryItem.FlagAuthEnabled, "auth"), (PeerSummaryItem.FlagPrefer, "prefer"), (PeerSummaryItem.FlagBurst, "burst"),
            (PeerSummaryItem.FlagCandidate, "candidate"), (PeerSummaryItem.FlagShortlist, "shortlist"),
        ];
        foreach ((byte bit, string word) in words)
        {
            if ((flags & bit) != 0)
            {
                parts.Add(" " + word);
            }
        }

        return string.Join(',', parts);
    }

    /// <summary>ntpdc's status words: each set bit's word after a space.</summary>
    private static string KernelStatus(ushort status) =>
        status == 0 ? string.Empty : " " + KernelStatusText.Format(status);
}

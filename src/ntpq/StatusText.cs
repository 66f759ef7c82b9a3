// StatusText: ntpq 4.2.8's words for status words (ntpq.c statustoa and the tables in
// ntpq-subs.c): "leap_none, sync_ntp, 1 event, clock_sync" for the system, "conf, reach,
// sel_sys.peer, 1 event, sys_peer" for a peer, the tally characters of `peers`, and the flash
// bits of a peer's `flash` variable (ntpq.c tstflags: "1200 peer_stratum, peer_unreach", "00 ok").
using System.Globalization;
using Stratum.Core.Mode6;

namespace Stratum.Tools.Ntpq;

/// <summary>Text forms of system and peer status words as ntpq prints them.</summary>
internal static class StatusText
{
    /// <summary>ntpq flash3: tally character per selection code.</summary>
    public const string TallyCharacters = " x.-+#*o";

    private static readonly string[] s_leap = ["leap_none", "leap_add_sec", "leap_del_sec", "leap_alarm"];

    private static readonly string[] s_source =
    [
        "sync_unspec", "sync_pps", "sync_lf_radio", "sync_hf_radio", "sync_uhf_radio", "sync_local", "sync_ntp",
        "sync_other", "sync_wristwatch", "sync_telephone",
    ];

    private static readonly string[] s_systemEvents =
    [
        "", "freq_not_set", "freq_set", "spike_detect", "freq_mode", "clock_sync", "restart", "panic_stop",
        "no_sys_peer", "leap_armed", "leap_disarmed", "leap_event", "clock_step", "kern", "TAI", "stale_leapsecond_values",
    ];

    private static readonly string[] s_peerEvents =
    [
        "", "mobilize", "demobilize", "unreachable", "reachable", "restart", "no_reply", "rate_exceeded",
        "access_denied", "leap_armed", "sys_peer", "clock_event", "bad_auth", "popcorn", "interleave_mode", "interleave_error",
    ];

    private static readonly string[] s_flashTests =
    [
        "pkt_dup", "pkt_bogus", "pkt_unsync", "pkt_denied", "pkt_auth", "pkt_stratum", "pkt_header", "pkt_autokey", "pkt_crypto",
        "peer_stratum", "peer_dist", "peer_loop", "peer_unreach",
    ];

    /// <summary>tstflags's buffer (CBLEN): the text is at most one less, cut with "..." beyond.</summary>
    private const int FlashBufferLength = 80;

    /// <summary>ntpq tstflags: "%02lx", then " ok" for zero or the names of TEST1..TEST13 joined by ", ".</summary>
    public static string Flash(ulong value)
    {
        string text = value.ToString("x2", CultureInfo.InvariantCulture);
        if (value == 0)
        {
            return text + " ok";
        }

        var result = new System.Text.StringBuilder(text);
        int room = FlashBufferLength - text.Length;
        string separator = " ";
        for (int i = 0; i < s_flashTests.Length; i++, value >>= 1)
        {
            if ((value & 1) == 0)
            {
                continue;
            }

            string piece = separator + s_flashTests[i];
            if (piece.Length >= room)
            {
                // snprintf keeps room − 1 characters; ntpq then writes "..." over the last three.
                result.Append(piece);
                result.Length = FlashBufferLength - 4;
                result.Append("...");
                break;
            }

            result.Append(piece);
            room -= piece.Length;
            separator = ", ";
        }

        return result.ToString();
    }

    /// <summary>`associations` condition column.</summary>
    public static readonly string[] Conditions = ["reject", "falsetick", "excess", "outlier", "candidate", "backup", "sys.peer", "pps.peer"];

    private static readonly string[] s_clockEvents =
        ["clk_unspec", "clk_no_reply", "clk_bad_format", "clk_fault", "clk_bad_signal", "clk_bad_date", "clk_bad_time"];

    public static string PeerEventName(int code) => s_peerEvents[code & 0xF];

    /// <summary>A clock status word: current status and last event (ntpq statustoa TYPE_CLOCK).</summary>
    public static string Clock(ushort status) => $"{ClockEvent(status >> 8)}, last_{ClockEvent(status & 0xFF)}";

    private static string ClockEvent(int code) => code < s_clockEvents.Length ? s_clockEvents[code] : "clk";

    public static string System(ushort status)
    {
        SystemStatusWord word = SystemStatusWord.Decode(status);
        string source = word.ClockSource < s_source.Length ? s_source[word.ClockSource] : "sync_unknown";
        return string.Create(CultureInfo.InvariantCulture,
            $"{s_leap[(int)word.Leap & 3]}, {source}, {EventCount(word.EventCount)}, {s_systemEvents[word.EventCode]}");
    }

    public static string Peer(ushort status)
    {
        PeerStatusWord word = PeerStatusWord.Decode(status);
        var parts = new List<string>();
        if (word.Configured)
        {
            parts.Add("conf");
        }

        if (word.AuthenticationEnabled)
        {
            parts.Add("authenb");
        }

        if (word.Authentic)
        {
            parts.Add("auth");
        }

        if (word.Reachable)
        {
            parts.Add("reach");
        }

        if (word.Broadcast)
        {
            parts.Add("bcst");
        }

        parts.Add("sel_" + Conditions[(int)word.Selection]);
        parts.Add(EventCount(word.EventCount));
        parts.Add(PeerEventName(word.EventCode));
        return string.Join(", ", parts);
    }

    private static string EventCount(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} event{(count == 1 ? "" : "s")}");
}

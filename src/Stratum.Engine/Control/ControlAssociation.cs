// ControlAssociation: one association as mode 6 and mode 7 see it, whether the local clock driver
// (LocalClockAssociation) or a remote server or peer (RemoteSourceAssociation): its id, peer status
// word (ntpd ctlpeerstatus, RFC 1305 B.2.2) and its peer variables with ntpd 4.2.8's names and
// formats (ntp_control.c ctl_putpeer). The values behind the text are also exposed for mode 7.
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Engine.Control;

/// <summary>Read-only view of one association for the control protocols.</summary>
internal abstract class ControlAssociation
{
    /// <summary>ntpd 4.2.8's default peer variable list, in its order.</summary>
    public static readonly string[] DefaultVariables =
    [
        "srcadr", "srcport", "dstadr", "dstport", "leap", "stratum", "precision", "rootdelay", "rootdisp", "refid",
        "reftime", "rec", "reach", "unreach", "hmode", "pmode", "hpoll", "ppoll", "headway", "flash", "keyid",
        "offset", "delay", "dispersion", "jitter", "xleave", "filtdelay", "filtoffset", "filtdisp",
    ];

    /// <summary>Names readable on request only (ntpq pstats asks for them).</summary>
    public static readonly string[] ExtraVariables =
    [
        "timerec", "timer", "timereach", "sent", "received", "badauth", "bogusorg", "oldpkt", "seldisp", "selbroken", "candidate",
        "interleaved",
    ];

    public const double MaxDispersion = 16.0;

    public abstract int Id { get; }

    public abstract bool IsSystemPeer { get; }

    public abstract bool IsReachable { get; }

    public abstract PeerSelection Selection { get; }

    public abstract System.Net.IPEndPoint Source { get; }

    public abstract byte HostMode { get; }

    public abstract byte PeerMode { get; }

    public abstract byte Leap { get; }

    public abstract byte Stratum { get; }

    public abstract sbyte Precision { get; }

    public abstract double RootDelay { get; }

    public abstract double RootDispersion { get; }

    public abstract ReferenceId ReferenceId { get; }

    public abstract NtpTimestamp ReferenceTime { get; }

    public abstract byte Reach { get; }

    public abstract sbyte HostPoll { get; }

    public abstract sbyte PeerPoll { get; }

    public abstract double Offset { get; }

    public abstract double Delay { get; }

    public abstract double Dispersion { get; }

    public abstract double Jitter { get; }

    public abstract bool IsRefclock { get; }

    public abstract bool IsPreferred { get; }

    /// <summary>Clock filter stages, newest first: (offset, delay, dispersion) seconds.</summary>
    public abstract void FillFilter(Span<double> offsets, Span<double> delays, Span<double> dispersions);

    /// <summary>Real time of the last accepted sample, zero before one.</summary>
    public abstract NtpTimestamp LastReceived(LoopTime now);

    /// <summary>`key N` of the association, 0 for none (the keyid variable).</summary>
    public virtual uint KeyId => 0;

    /// <summary>True once a reply authenticated with that key (the "auth" status bit).</summary>
    public virtual bool IsAuthentic => false;

    /// <summary>ntpd's `unreach`: polls since the association was last found reachable.</summary>
    public virtual int Unreach => 0;

    /// <summary>Stratum's `interleaved`: replies accepted in the interleaved mode (RFC 9769, `xleave`).</summary>
    public virtual long InterleavedReplies => 0;

    /// <summary>ntpd's `headway` (its per-association send throttle). Stratum has no such throttle: 0.</summary>
    public virtual int Headway => 0;

    /// <summary>ntpd's `flash`: the TEST1..TEST13 bits (FlashTest) at <paramref name="now"/>.</summary>
    public virtual ushort Flash(LoopTime now) => 0;

    /// <summary>A configured association (ntpd's "conf" status bit); one a broadcast or manycast server mobilized is not.</summary>
    public virtual bool IsConfigured => true;

    /// <summary>An association that only sends to a broadcast address or group (ntpd's "bcst" status bit).</summary>
    public virtual bool SendsToGroup => false;

    public ushort StatusWord()
    {
        byte evt = IsSystemPeer ? PeerStatusWord.EventSystemPeer : IsReachable ? PeerStatusWord.EventReachable : PeerStatusWord.EventMobilize;
        return StatusWord(1, evt);
    }

    /// <summary>The status word with the given event counter and last event.</summary>
    public ushort StatusWord(byte eventCount, byte lastEvent) =>
        new PeerStatusWord(IsConfigured, KeyId != 0, IsAuthentic, IsReachable, SendsToGroup, Selection, eventCount, lastEvent).Encode();

    /// <summary>
    /// The refid as ntpd prints a peer's: text for a refclock, for stratum 0, 1 and 16 (kiss codes,
    /// INIT), else the dotted quad of the 32 bits.
    /// </summary>
    public string ReferenceIdText() =>
        IsRefclock || Stratum <= 1 || Stratum >= 16 ? ReferenceId.ToAscii() : ReferenceId.ToDottedQuad();

    /// <summary>Appends one variable; false when the name is not a peer variable.</summary>
    public bool TryWrite(string name, ControlVariableWriter writer, LoopTime now, System.Net.IPEndPoint? local)
    {
        Span<double> offsets = stackalloc double[8];
        Span<double> delays = stackalloc double[8];
        Span<double> dispersions = stackalloc double[8];
        switch (name)
        {
            case "srcadr": writer.AddRaw(name, Source.Address.ToString()); return true;
            case "srcport": writer.AddInteger(name, Source.Port); return true;
            case "dstadr": writer.AddRaw(name, local?.Address.ToString() ?? (Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "::" : "0.0.0.0")); return true;
            case "dstport": writer.AddInteger(name, local?.Port ?? 0); return true;
            case "leap": writer.AddInteger(name, Leap); return true;
            case "stratum": writer.AddInteger(name, Stratum); return true;
            case "precision": writer.AddInteger(name, Precision); return true;
            case "rootdelay": writer.AddMilliseconds(name, RootDelay); return true;
            case "rootdisp": writer.AddMilliseconds(name, RootDispersion); return true;
            case "refid": writer.AddRaw(name, ReferenceIdText()); return true;
            case "reftime": writer.AddTimestamp(name, ReferenceTime); return true;
            case "rec": writer.AddTimestamp(name, LastReceived(now)); return true;
            case "reach": writer.AddHex(name, Reach); return true;
            case "unreach": writer.AddInteger(name, Unreach); return true;
            case "hmode": writer.AddInteger(name, HostMode); return true;
            case "pmode": writer.AddInteger(name, PeerMode); return true;
            case "hpoll": writer.AddInteger(name, HostPoll); return true;
            case "ppoll": writer.AddInteger(name, PeerPoll); return true;
            case "headway": writer.AddInteger(name, Headway); return true;
            case "flash": writer.AddHex(name, Flash(now)); return true;
            case "keyid": writer.AddInteger(name, KeyId); return true;
            case "offset": writer.AddMilliseconds(name, Offset); return true;
            case "delay": writer.AddMilliseconds(name, Delay); return true;
            case "dispersion": writer.AddMilliseconds(name, Dispersion); return true;
            case "jitter": writer.AddMilliseconds(name, Jitter); return true;
            case "xleave": writer.AddMilliseconds(name, 0); return true;
            case "filtdelay":
                FillFilter(offsets, delays, dispersions);
                writer.AddArray(name, delays);
                return true;
            case "filtoffset":
                FillFilter(offsets, delays, dispersions);
                writer.AddArray(name, offsets);
                return true;
            case "filtdisp":
                FillFilter(offsets, delays, dispersions);
                writer.AddArray(name, dispersions);
                return true;
            case "interleaved":
                writer.AddInteger(name, InterleavedReplies);
                return true;
            case "timerec" or "timer" or "timereach":
                writer.AddInteger(name, 0);
                return true;
            case "sent" or "received" or "badauth" or "bogusorg" or "oldpkt" or "seldisp" or "selbroken" or "candidate":
                writer.AddInteger(name, 0);
                return true;
            default:
                return false;
        }
    }
}

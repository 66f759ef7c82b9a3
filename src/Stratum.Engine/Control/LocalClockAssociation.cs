// LocalClockAssociation: the local clock driver (127.127.1.u, ntpd refclock type 1) as mode 6 and
// 7 show it: srcadr 127.127.1.u, hmode client, refid the driver's (LOCL), stratum the fudge
// stratum, offset fudge time1, no delay, dispersion the reading precision, flash 0x1200 (peer_stratum,
// peer_unreach) until the first reading. It also answers READCLOCK
// (ntpq clockvar) with the clock variables of ntpd's refclock layer (ntp_control.c ctl_putclock).
using System.Net;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;

namespace Stratum.Engine.Control;

internal sealed class LocalClockAssociation(LocalClockSource clock, int id, bool isSystemPeer) : ControlAssociation, IClockVariables
{
    public LocalClockSource Clock => clock;

    public override int Id => id;

    public override bool IsSystemPeer => isSystemPeer;

    public override bool IsReachable => clock.HasSample;

    public override PeerSelection Selection => isSystemPeer ? PeerSelection.SystemPeer : clock.HasSample ? PeerSelection.Candidate : PeerSelection.Reject;

    public override IPEndPoint Source => new(new IPAddress([127, 127, 1, clock.Settings.Unit]), 123);

    public override byte HostMode => (byte)NtpMode.Client;

    public override byte PeerMode => clock.HasSample ? (byte)NtpMode.Server : (byte)0;

    public override byte Leap => clock.HasSample ? (byte)0 : (byte)3;

    // Before its first reading the driver shows leap 3 and an empty reach register: ntpd's peer_unfit
    // lights TEST10 and TEST13 (no distance test for a reference clock); afterwards nothing.
    public override ushort Flash(LoopTime now) =>
        clock.HasSample ? (ushort)0 : (ushort)(FlashTest.PeerStratum | FlashTest.PeerUnreachable);

    public override byte Stratum => clock.Settings.Stratum;

    public override sbyte Precision => clock.Precision;

    public override double RootDelay => 0;

    public override double RootDispersion => 0;

    public override ReferenceId ReferenceId => clock.ReferenceId;

    public override NtpTimestamp ReferenceTime => clock.LastSampleTime;

    public override byte Reach => clock.Reach;

    public override sbyte HostPoll => 6;

    public override sbyte PeerPoll => 6;

    public override double Offset => clock.LastOffset;

    public override double Delay => 0;

    public override double Dispersion => clock.HasSample ? clock.LastDispersion : MaxDispersion;

    public override double Jitter => 0;

    public override bool IsRefclock => true;

    public override bool IsPreferred => clock.Settings.Prefer;

    public override NtpTimestamp LastReceived(LoopTime now) => clock.LastSampleTime;

    public override void FillFilter(Span<double> offsets, Span<double> delays, Span<double> dispersions)
    {
        for (int i = 0; i < offsets.Length; i++)
        {
            bool sampled = ((clock.Reach >> i) & 1) != 0;
            offsets[i] = sampled ? clock.LastOffset : 0;
            delays[i] = 0;
            dispersions[i] = sampled ? clock.LastDispersion : MaxDispersion;
        }
    }

    /// <summary>The clock status word (ntpd CTL_CLK_STATUS): current and last clock event, both nominal.</summary>
    public static ushort ClockStatusWord => 0;

    /// <summary>Appends one clock variable; false when the name is not one.</summary>
    public bool TryWriteClockVariable(string name, ControlVariableWriter writer)
    {
        switch (name)
        {
            case "device": writer.AddString(name, "Undisciplined local clock"); return true;
            case "timecode": writer.AddString(name, string.Empty); return true;
            case "poll": writer.AddInteger(name, CountSamples()); return true;
            case "noreply" or "badformat" or "baddata": writer.AddInteger(name, 0); return true;
            case "fudgetime1": writer.AddMilliseconds(name, clock.Settings.Time1Seconds); return true;
            case "fudgetime2": writer.AddMilliseconds(name, 0); return true;
            case "stratum": writer.AddInteger(name, clock.Settings.Stratum); return true;
            case "refid": writer.AddRaw(name, clock.ReferenceId.ToAscii()); return true;
            case "flags": writer.AddInteger(name, 0); return true;
            default: return false;
        }
    }

    private int CountSamples() => System.Numerics.BitOperations.PopCount(clock.Reach);
}

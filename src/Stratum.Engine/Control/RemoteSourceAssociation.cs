// RemoteSourceAssociation: a `server` or `peer` association (RFC 5905 §9) as mode 6 and 7 show it,
// from the association's last accepted packet (the server's leap, stratum, precision, root delay and
// dispersion, refid, reference time) and its clock filter (offset, delay, dispersion, jitter and
// the eight stages). The selection code follows the last selection: system peer, candidate
// (survivor), falseticker, excess or outlier; otherwise reject. `unreach` is the association's
// count of polls while unreachable; `flash` joins the checks the last packet failed (TEST1..TEST9)
// with the fitness tests it fails now (TEST10..TEST13, SourceManager.PeerTests); `headway` is 0 (no
// per-association throttle). A reference clock association (SHM) also answers ntpq's clockvar.
using System.Net;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Filter;
using Stratum.Engine.Selection;

namespace Stratum.Engine.Control;

internal sealed class RemoteSourceAssociation(RemoteSource source, bool isSystemPeer, SourceManager sources) : ControlAssociation, IClockVariables
{
    private ClockSample? Sample => source.Association.LastSample;

    private bool HasFilterSample => source.Filter.ValidCount > 0;

    public RemoteSource Source_ => source;

    public override int Id => source.Id;

    public override bool IsSystemPeer => isSystemPeer;

    public override bool IsReachable => source.Association.IsReachable;

    public override uint KeyId => source.Association.Settings.KeyId ?? 0;

    public override bool IsAuthentic => source.Association.IsAuthentic;

    public override int Unreach => source.Association.Unreach;

    public override bool IsConfigured => !source.Association.Settings.IsEphemeral;

    public override bool SendsToGroup => source.Association.Settings.SendsToGroup;

    public override long InterleavedReplies => source.Association.InterleavedReplies;

    public override ushort Flash(LoopTime now) =>
        (ushort)((source.Association.PacketTests & FlashTest.PacketMask) | sources.PeerTests(source, now.MonoSeconds));

    public override PeerSelection Selection => isSystemPeer && source.Association.Settings.Refclock?.IsPps == true ? PeerSelection.PpsPeer
        : isSystemPeer || sources.PpsCompanionId == source.Id ? PeerSelection.SystemPeer
        : source.IsSurvivor ? PeerSelection.Candidate
        : source.Rejection switch
        {
            RejectionReason.Falseticker => PeerSelection.Falseticker,
            RejectionReason.Excess => PeerSelection.Excess,
            RejectionReason.Outlier => PeerSelection.Outlier,
            _ => PeerSelection.Reject,
        };

    public override IPEndPoint Source => source.Association.Settings.Address;

    // A broadcast client runs its volley in client mode (ntpd's hmode 3, then 6 while it listens).
    public override byte HostMode => source.Association.IsRefclock || source.Association.IsCalibrating ? (byte)NtpMode.Client
        : (byte)source.Association.Settings.Mode;

    public override byte PeerMode => Sample is null || source.Association.IsRefclock ? (byte)0
        : source.Association.Settings.Mode switch
        {
            AssociationMode.Client => (byte)NtpMode.Server,
            AssociationMode.BroadcastClient => source.Association.IsListening ? (byte)NtpMode.Broadcast : (byte)NtpMode.Server,
            _ => (byte)NtpMode.SymmetricPassive,
        };

    public override byte Leap => Sample is { } sample ? (byte)sample.Leap : (byte)3;

    // A reference clock shows its fudge stratum and refid from the start, as ntpd's do.
    public override byte Stratum => source.Association.Settings.Refclock is { } clock ? clock.Stratum
        : Sample is { } sample ? sample.Stratum : (byte)16;

    public override sbyte Precision => Sample is { } sample ? sample.Precision : (sbyte)0;

    public override double RootDelay => Sample?.RootDelay ?? 0;

    public override double RootDispersion => Sample?.RootDispersion ?? 0;

    public override ReferenceId ReferenceId =>
        source.Association.Settings.Refclock is { } clock ? clock.ReferenceId
        : source.Association.LastKiss is { } kiss && Sample is null ? kiss.Id : Sample?.ReferenceId ?? InitialReferenceId(source.Association.Settings);

    // ntpd's refids of associations that have heard nothing: BCST/MCST for a broadcast server to a broadcast
    // address/multicast group, ACST for a manycast solicitor, INIT otherwise.
    private static ReferenceId InitialReferenceId(RemoteAssociationSettings settings) =>
        settings.IsManycastSolicitor ? ReferenceId.FromAscii("ACST")
        : settings.Mode == AssociationMode.Broadcast ? ReferenceId.FromAscii(Access.ClientAddress.From(settings.Address.Address).IsMulticast ? "MCST" : "BCST")
        : KissCode.Initializing.Id;

    public override NtpTimestamp ReferenceTime => source.Association.ReferenceTime;

    public override byte Reach => source.Association.Reach;

    public override sbyte HostPoll => source.Association.HostPoll;

    public override sbyte PeerPoll => source.Association.PeerPoll;

    public override double Offset => HasFilterSample ? source.Filter.Last.Offset : 0;

    public override double Delay => HasFilterSample ? source.Filter.Last.Delay : 0;

    public override double Dispersion => HasFilterSample ? source.Filter.Last.Dispersion : MaxDispersion;

    public override double Jitter => HasFilterSample ? source.Filter.Last.Jitter : 0;

    public override bool IsRefclock => source.Association.IsRefclock;

    public override bool IsPreferred => source.Association.Settings.Prefer;

    public override NtpTimestamp LastReceived(LoopTime now) => Sample is { } sample
        ? now.Real - NtpDuration.FromSeconds(Math.Max(0, now.MonoSeconds - sample.MonoSeconds))
        : NtpTimestamp.Zero;

    public override void FillFilter(Span<double> offsets, Span<double> delays, Span<double> dispersions)
    {
        ReadOnlySpan<ClockFilterSample> register = source.Filter.Register;
        for (int i = 0; i < offsets.Length; i++)
        {
            ClockFilterSample stage = i < register.Length ? register[i] : new ClockFilterSample(0, 0, MaxDispersion, 0);
            bool empty = stage.Dispersion >= MaxDispersion;
            offsets[i] = empty ? 0 : stage.Offset;
            delays[i] = empty ? 0 : stage.Delay;
            dispersions[i] = stage.Dispersion;
        }
    }

    /// <summary>Clock variables of a reference clock association (READCLOCK).</summary>
    public bool TryWriteClockVariable(string name, ControlVariableWriter writer)
    {
        RemoteAssociation association = source.Association;
        RefclockIdentity identity = association.Settings.Refclock ?? new RefclockIdentity(0, ReferenceId.None, 0);
        switch (name)
        {
            case "device": writer.AddString(name, "SHM/Shared memory interface"); return true;
            case "timecode": writer.AddString(name, string.Empty); return true;
            case "poll": writer.AddInteger(name, association.RefclockPolls); return true;
            case "noreply": writer.AddInteger(name, association.RefclockNoReply); return true;
            case "badformat" or "baddata": writer.AddInteger(name, 0); return true;
            case "fudgetime1": writer.AddMilliseconds(name, identity.Time1Seconds + association.Calibration); return true;
            case "fudgetime2": writer.AddMilliseconds(name, 0); return true;
            case "stratum": writer.AddInteger(name, identity.Stratum); return true;
            case "refid": writer.AddRaw(name, identity.ReferenceId.ToAscii()); return true;
            case "flags": writer.AddInteger(name, 0); return true;
            default: return false;
        }
    }
}

// ControlResponder: ntpd's mode 6 server side (RFC 1305 appendix B; draft-ietf-ntp-mode-6-cmds;
// ntpd 4.2.8 ntp_control.c). Answers READSTAT (assoc 0: system status word and the list of
// association id / peer status pairs; assoc N: that peer's status) and READVAR (assoc 0: system
// variables; assoc N: peer variables) with ntpd's variable names and number formats. Long answers
// are split into fragments of at most 468 data octets with the More bit and offsets, as ntpd's
// ctl_flushpkt does.
//
// Limits of this first slice: malformed datagrams and responses are dropped silently (ntpd
// counts and drops them); write operations (WRITEVAR, WRITECLOCK, CONFIGURE, traps) answer
// CERR_PERMISSION because controlkey authentication is not implemented; READCLOCK, READ_MRU,
// REQ_NONCE and READ_ORDLIST answer CERR_BADOP for now. `restrict noquery` and query rate limits
// are not enforced yet (they arrive with Access/). As in ntpd, a 12-octet READVAR can draw a few
// fragments (about 1 KB); no MAC is checked or sent.
//
// Association ids: ntpd 4.2.8 starts at a random 16-bit value; Stratum numbers associations from
// 1 in configuration order so ids are stable across restarts and in golden tests.
using System.Globalization;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Control;

/// <summary>Builds mode 6 responses from the engine's state. Loop thread only.</summary>
public sealed class ControlResponder
{
    /// <summary>ntpd's minimum loop time constant (`tinker` default), shown as mintc.</summary>
    private const int MinimumTimeConstant = 3;

    /// <summary>First association id (see the file header).</summary>
    public const ushort FirstAssociationId = 1;

    private const double MaxDispersion = 16.0;
    private const int FilterStages = 8;

    private static readonly string[] s_systemVariableNames =
    [
        "version", "processor", "system", "leap", "stratum", "precision", "rootdelay", "rootdisp", "refid",
        "reftime", "clock", "peer", "tc", "mintc", "offset", "frequency", "sys_jitter", "clk_jitter", "clk_wander",
    ];

    private static readonly string[] s_peerVariableNames =
    [
        "srcadr", "srcport", "dstadr", "dstport", "leap", "stratum", "precision", "rootdelay", "rootdisp", "refid",
        "reftime", "rec", "reach", "unreach", "hmode", "pmode", "hpoll", "ppoll", "headway", "flash", "keyid",
        "offset", "delay", "dispersion", "jitter", "filtdelay", "filtoffset", "filtdisp",
    ];

    private readonly NtpEngine _engine;
    private readonly List<byte[]> _fragments = [];
    private readonly ControlVariableWriter _writer = new();
    private readonly List<string> _requested = [];

    public ControlResponder(NtpEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
    }

    /// <summary>Strings for version, processor and system; replaceable for tests.</summary>
    public ControlIdentity Identity { get; set; } = ControlIdentity.ForCurrentProcess();

    /// <summary>Requests dropped as malformed or as responses.</summary>
    public long Dropped { get; private set; }

    /// <summary>Requests answered with an error code.</summary>
    public long Errors { get; private set; }

    /// <summary>Association id of the local clock at <paramref name="index"/> in <see cref="NtpEngine.LocalClocks"/>.</summary>
    public static ushort AssociationIdOf(int index) => (ushort)(FirstAssociationId + index);

    /// <summary>
    /// Answers one datagram. Returns the fragments to send in order (empty: send nothing). The list
    /// is reused by the next call.
    /// </summary>
    /// <param name="now">The loop's time: "clock" is its real part; root dispersion grows with its monotonic part.</param>
    public IReadOnlyList<byte[]> Respond(ReadOnlySpan<byte> request, LoopTime now)
    {
        _fragments.Clear();
        if (!ControlMessage.TryRead(request, out ControlHeader header, out ReadOnlySpan<byte> data, out _, out _)
            || header.IsResponse || header.Offset != 0 || header.HasMore)
        {
            Dropped++;
            return _fragments;
        }

        switch (header.Opcode)
        {
            case ControlOpcode.ReadStatus:
                ReadStatus(header);
                break;
            case ControlOpcode.ReadVariables:
                ReadVariables(header, data, now);
                break;
            case ControlOpcode.WriteVariables or ControlOpcode.WriteClock or ControlOpcode.Configure
                or ControlOpcode.SaveConfig or ControlOpcode.SetTrap or ControlOpcode.UnsetTrap:
                AddError(header, ControlErrorCode.Permission);
                break;
            default:
                AddError(header, ControlErrorCode.BadOpcode);
                break;
        }

        return _fragments;
    }

    /// <summary>The system status word (ntpd ctlsysstatus).</summary>
    public ushort SystemStatus()
    {
        SystemVariables system = _engine.System;
        return system.IsSynchronized
            ? new SystemStatusWord(system.Leap, SystemStatusWord.SourceLocal, 1, SystemStatusWord.EventClockSync).Encode()
            : new SystemStatusWord(LeapIndicator.Unsynchronized, SystemStatusWord.SourceUnspecified, 1, SystemStatusWord.EventRestart).Encode();
    }

    /// <summary>The peer status word of one local clock (ntpd ctlpeerstatus).</summary>
    public ushort PeerStatus(LocalClockSource clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        bool isSystemPeer = ReferenceEquals(clock, _engine.SystemPeer);
        PeerSelection selection = isSystemPeer ? PeerSelection.SystemPeer : clock.HasSample ? PeerSelection.Candidate : PeerSelection.Reject;
        byte evt = isSystemPeer ? PeerStatusWord.EventSystemPeer : clock.HasSample ? PeerStatusWord.EventReachable : PeerStatusWord.EventMobilize;
        return new PeerStatusWord(true, false, false, clock.HasSample, false, selection, 1, evt).Encode();
    }

    private void ReadStatus(ControlHeader request)
    {
        if (request.AssociationId == 0)
        {
            IReadOnlyList<LocalClockSource> clocks = _engine.LocalClocks;
            var data = new byte[clocks.Count * 4];
            for (int i = 0; i < clocks.Count; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(i * 4), AssociationIdOf(i));
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan((i * 4) + 2), PeerStatus(clocks[i]));
            }

            AddFragments(request, SystemStatus(), data);
            return;
        }

        LocalClockSource? clock = FindAssociation(request.AssociationId);
        if (clock is null)
        {
            AddError(request, ControlErrorCode.BadAssociation);
            return;
        }

        AddFragments(request, PeerStatus(clock), []);
    }

    private void ReadVariables(ControlHeader request, ReadOnlySpan<byte> data, LoopTime now)
    {
        LocalClockSource? clock = null;
        if (request.AssociationId != 0)
        {
            clock = FindAssociation(request.AssociationId);
            if (clock is null)
            {
                AddError(request, ControlErrorCode.BadAssociation);
                return;
            }
        }

        string[] known = clock is null ? s_systemVariableNames : s_peerVariableNames;
        if (!TryCollectRequested(data, known))
        {
            AddError(request, ControlErrorCode.UnknownVariable);
            return;
        }

        _writer.Clear();
        IReadOnlyList<string> names = _requested.Count > 0 ? _requested : known;
        foreach (string name in names)
        {
            if (clock is null)
            {
                AddSystemVariable(name, now);
            }
            else
            {
                AddPeerVariable(clock, name);
            }
        }

        ushort status = clock is null ? SystemStatus() : PeerStatus(clock);
        AddFragments(request, status, _writer.ToBytes());
    }

    private bool TryCollectRequested(ReadOnlySpan<byte> data, string[] known)
    {
        _requested.Clear();
        var reader = new ControlVariableReader(data);
        while (reader.TryReadNext(out ControlVariable variable))
        {
            string? match = null;
            foreach (string name in known)
            {
                if (variable.Name.Length == name.Length && System.Text.Ascii.Equals(variable.Name, name))
                {
                    match = name;
                    break;
                }
            }

            if (match is null)
            {
                return false;
            }

            _requested.Add(match);
        }

        return true;
    }

    private void AddSystemVariable(string name, LoopTime now)
    {
        SystemVariables system = _engine.System;
        Discipline.DisciplineStatus discipline = _engine.Sources.Discipline.Status;
        switch (name)
        {
            case "version": _writer.AddString(name, Identity.Version); break;
            case "processor": _writer.AddString(name, Identity.Processor); break;
            case "system": _writer.AddString(name, Identity.System); break;
            case "leap": _writer.AddInteger(name, (int)system.Leap); break;
            case "stratum": _writer.AddInteger(name, system.Stratum); break;
            case "precision": _writer.AddInteger(name, system.Precision); break;
            case "rootdelay": _writer.AddMilliseconds(name, system.RootDelay); break;
            case "rootdisp": _writer.AddMilliseconds(name, system.IsSynchronized ? system.RootDispersionAt(now.MonoSeconds) : 0); break;
            case "refid": _writer.AddRaw(name, SystemRefid(system)); break;
            case "reftime": _writer.AddTimestamp(name, system.ReferenceTime); break;
            case "clock": _writer.AddTimestamp(name, now.Real); break;
            case "peer": _writer.AddInteger(name, SystemPeerAssociationId()); break;
            // The clock discipline's state (ntpd's loop variables): offset and jitters in ms, frequency and wander in PPM.
            case "tc": _writer.AddInteger(name, discipline.TimeConstant); break;
            case "mintc": _writer.AddInteger(name, MinimumTimeConstant); break;
            case "offset": _writer.AddMillisecondsPrecise(name, discipline.Offset); break;
            case "frequency": _writer.AddFixed3(name, discipline.Frequency * 1e6); break;
            case "sys_jitter": _writer.AddMillisecondsPrecise(name, _engine.Sources.SystemJitter); break;
            case "clk_jitter": _writer.AddMilliseconds(name, discipline.Jitter); break;
            case "clk_wander": _writer.AddFixed3(name, discipline.Wander * 1e6); break;
            default: break;
        }
    }

    /// <summary>
    /// ntpd prints the refid as text at stratum 0, 1 and 16 and as an address otherwise.
    /// Deviation: synchronized to a local clock, Stratum serves the driver's ASCII refid (LOCL)
    /// where ntpd serves the clock's address; we show it as the text we serve.
    /// </summary>
    private string SystemRefid(SystemVariables system) =>
        system.Stratum <= 1 || system.Stratum >= SystemVariables.UnsynchronizedStratum || _engine.SystemPeer is not null
            ? system.ReferenceId.ToAscii()
            : system.ReferenceId.ToDottedQuad();

    private int SystemPeerAssociationId()
    {
        IReadOnlyList<LocalClockSource> clocks = _engine.LocalClocks;
        for (int i = 0; i < clocks.Count; i++)
        {
            if (ReferenceEquals(clocks[i], _engine.SystemPeer))
            {
                return AssociationIdOf(i);
            }
        }

        return 0;
    }

    private void AddPeerVariable(LocalClockSource clock, string name)
    {
        Span<double> stages = stackalloc double[FilterStages];
        switch (name)
        {
            case "srcadr": _writer.AddRaw(name, string.Create(CultureInfo.InvariantCulture, $"127.127.1.{clock.Settings.Unit}")); break;
            case "srcport": _writer.AddInteger(name, 123); break;
            case "dstadr": _writer.AddRaw(name, "0.0.0.0"); break;
            case "dstport": _writer.AddInteger(name, 123); break;
            case "leap": _writer.AddInteger(name, clock.HasSample ? 0 : 3); break;
            case "stratum": _writer.AddInteger(name, clock.Settings.Stratum); break;
            case "precision": _writer.AddInteger(name, clock.Precision); break;
            case "rootdelay": _writer.AddMilliseconds(name, 0); break;
            case "rootdisp": _writer.AddMilliseconds(name, 0); break;
            case "refid": _writer.AddRaw(name, clock.ReferenceId.ToAscii()); break;
            case "reftime": _writer.AddTimestamp(name, clock.LastSampleTime); break;
            case "rec": _writer.AddTimestamp(name, clock.LastSampleTime); break;
            case "reach": _writer.AddHex(name, clock.Reach); break;
            case "unreach": _writer.AddInteger(name, 0); break;
            case "hmode": _writer.AddInteger(name, (int)NtpMode.Client); break;
            case "pmode": _writer.AddInteger(name, clock.HasSample ? (int)NtpMode.Server : 0); break;
            case "hpoll": _writer.AddInteger(name, 6); break;
            case "ppoll": _writer.AddInteger(name, 6); break;
            case "headway": _writer.AddInteger(name, 0); break;
            case "flash": _writer.AddHex(name, clock.HasSample ? 0u : 0x400u); break;
            case "keyid": _writer.AddInteger(name, 0); break;
            case "offset": _writer.AddMilliseconds(name, clock.LastOffset); break;
            case "delay": _writer.AddMilliseconds(name, 0); break;
            case "dispersion": _writer.AddMilliseconds(name, clock.HasSample ? clock.LastDispersion : MaxDispersion); break;
            case "jitter": _writer.AddMilliseconds(name, 0); break;
            case "filtdelay":
                FillStages(clock, stages, 0, 0);
                _writer.AddArray(name, stages);
                break;
            case "filtoffset":
                FillStages(clock, stages, clock.LastOffset, 0);
                _writer.AddArray(name, stages);
                break;
            case "filtdisp":
                FillStages(clock, stages, clock.LastDispersion, MaxDispersion);
                _writer.AddArray(name, stages);
                break;
            default: break;
        }
    }

    /// <summary>Clock filter stages, newest first: a sample's value where reach has a 1, else the empty value.</summary>
    private static void FillStages(LocalClockSource clock, Span<double> stages, double sampled, double empty)
    {
        for (int i = 0; i < stages.Length; i++)
        {
            stages[i] = ((clock.Reach >> i) & 1) != 0 ? sampled : empty;
        }
    }

    private LocalClockSource? FindAssociation(ushort associationId)
    {
        int index = associationId - FirstAssociationId;
        IReadOnlyList<LocalClockSource> clocks = _engine.LocalClocks;
        return index >= 0 && index < clocks.Count ? clocks[index] : null;
    }

    private void AddError(ControlHeader request, ControlErrorCode code)
    {
        Errors++;
        var header = new ControlHeader(request.Version, true, true, false, request.Opcode, request.Sequence,
            (ushort)((byte)code << 8), request.AssociationId, 0, 0) { Leap = _engine.System.Leap };
        var datagram = new byte[ControlMessage.HeaderSize];
        ControlMessage.Write(header, [], datagram);
        _fragments.Add(datagram);
    }

    private void AddFragments(ControlHeader request, ushort status, ReadOnlySpan<byte> data)
    {
        int offset = 0;
        do
        {
            int length = Math.Min(ControlMessage.MaxDataLength, data.Length - offset);
            bool more = offset + length < data.Length;
            var header = new ControlHeader(request.Version, true, false, more, request.Opcode, request.Sequence,
                status, request.AssociationId, (ushort)offset, (ushort)length) { Leap = _engine.System.Leap };
            var datagram = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(length)];
            ControlMessage.Write(header, data.Slice(offset, length), datagram);
            _fragments.Add(datagram);
            offset += length;
        }
        while (offset < data.Length);
    }
}

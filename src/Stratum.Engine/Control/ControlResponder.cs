// ControlResponder: ntpd's mode 6 server side (RFC 1305 appendix B; draft-ietf-ntp-mode-6-cmds;
// ntpd 4.2.8 ntp_control.c). Answers READSTAT (assoc 0: system status word and the list of
// association id / peer status pairs; assoc N: that peer's status), READVAR (assoc 0: system
// variables, SystemVariableSet; assoc N: peer variables, ControlAssociation), READCLOCK (the local
// clock driver's clock variables) and READ_ORDLIST_A (ifstats with no data, reslist with
// "addr_restrictions"), with ntpd's names, number formats and error codes. Long answers are split
// into fragments of at most 468 data octets with the More bit and offsets, as ntpd's ctl_flushpkt.
//
// Errors as ntpd sends them: a request whose count exceeds its data, or whose length is not a
// multiple of 4, gets CERR_BADFMT; an unknown opcode CERR_BADOP; an unknown association
// CERR_BADASSOC; an unknown variable name CERR_UNKNOWNVAR (the whole request fails).
//
// Authentication: a request may carry a MAC after its data padded to 8 octets (ControlMac). When
// its key is trusted for the source and the digest matches, every fragment of the answer is signed
// with the same key, as ntpd's ctl_flushpkt does. Writes (WRITEVAR, WRITECLOCK, CONFIGURE,
// SAVECONFIG) need a request authenticated with the `controlkey`; anything else gets
// CERR_PERMISSION, as in ntpd. CONFIGURE hands the text to the host (IRuntimeConfigurator) unless
// the source is `restrict nomodify`; WRITEVAR writes nothing (ntpd's only writable system variables
// come from `setvar`, which Stratum does not implement), so a known variable gets CERR_PERMISSION;
// SAVECONFIG answers that no saveconfigdir is configured. Traps are not implemented: CERR_PERMISSION.
// What a CONFIGURE changes goes into the caller's EngineActions (sockets to open or close, names to
// resolve), like any other Engine decision.
// REQ_NONCE answers "nonce=…" (ControlNonce) and READ_MRU pages through the MRU list
// (MruRequest, MruListWriter): an absent, malformed or stale nonce gets no answer at all, as in
// ntpd; a source restricted with `nomrulist` gets CERR_PERMISSION for READ_MRU. Responses,
// fragments, a nonzero offset or a header too short to answer are dropped silently and counted.
// `restrict noquery` and rate limits are applied by the host before a request gets here; the host
// passes the source and its restrict flags along.
//
// Association ids: ntpd 4.2.8 starts at a random 16-bit value; Stratum numbers associations from 1
// in configuration order (local clocks first) so ids are stable across restarts and in golden tests.
using System.Buffers.Binary;
using System.Text;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Control;

/// <summary>Builds mode 6 responses from the engine's state. Loop thread only.</summary>
public sealed class ControlResponder
{
    /// <summary>First association id (see the file header).</summary>
    public const ushort FirstAssociationId = 1;

    private const string RestrictionListName = "addr_restrictions";

    private readonly NtpEngine _engine;
    private readonly SystemVariableSet _systemVariables;
    private readonly List<byte[]> _fragments = [];
    private readonly ControlVariableWriter _writer = new();
    private readonly List<string> _requested = [];
    private readonly List<ControlAssociation> _associations = [];
    private readonly ControlNonce _nonce;
    private readonly WriteRequestFreshness _freshness = new();
    private readonly MruRequest _mruRequest = new();
    private double? _startMonoSeconds;

    /// <summary>Where a CONFIGURE's changes go when the caller passes no actions (tests).</summary>
    private readonly EngineActions _scratchActions = new();

    /// <param name="engine">The state to report.</param>
    /// <param name="random">Keys the mrulist nonces (a CSPRNG in ntpd); null: a fixed key, for tests.</param>
    public ControlResponder(NtpEngine engine, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _nonce = new ControlNonce(random);
        _systemVariables = new SystemVariableSet(engine, this);
        Mode7 = new Mode7Responder(engine, this);
    }

    /// <summary>Strings for version, processor and system; replaceable for tests.</summary>
    public ControlIdentity Identity { get; set; } = ControlIdentity.Unknown;

    /// <summary>Facts and counters only the host knows.</summary>
    public ControlHostState Host { get; } = new();

    /// <summary>ntpdc's read-only mode 7 subset (answers only with <see cref="ControlHostState.Mode7Enabled"/>).</summary>
    public Mode7Responder Mode7 { get; }

    /// <summary>Control requests received (ntpd numctlreq).</summary>
    public long Requests { get; private set; }

    /// <summary>The `controlkey`: the key whose authenticated requests may write; none when null.</summary>
    public uint? ControlKey { get; set; }

    /// <summary>Applies `:config` text; null: runtime configuration is refused.</summary>
    public IRuntimeConfigurator? Configurator { get; set; }

    /// <summary>Requests whose MAC did not verify with a key trusted for their source.</summary>
    public long AuthenticationFailures { get; private set; }

    /// <summary>Write requests refused for want of controlkey authentication.</summary>
    public long WritesRefused { get; private set; }

    /// <summary>Requests dropped as malformed or as responses.</summary>
    public long Dropped { get; private set; }

    /// <summary>Requests answered with an error code.</summary>
    public long Errors { get; private set; }

    /// <summary>READ_MRU requests not answered: nonce absent, malformed, stale or for another client (ntpd answers none of them).</summary>
    public long MruNonceRejected { get; private set; }

    /// <summary>Signed writes refused as replayed or carrying a stale nonce (WriteRequestFreshness).</summary>
    public long WritesNotFresh { get; private set; }

    /// <summary>READ_ORDLIST_A requests (ifstats, reslist) refused for want of the controlkey's MAC.</summary>
    public long OrderedListsRefused { get; private set; }

    /// <summary>READ_MRU requests refused by `restrict nomrulist`.</summary>
    public long MruRestricted { get; private set; }

    /// <summary>Association id of the local clock at <paramref name="index"/> in <see cref="NtpEngine.LocalClocks"/>.</summary>
    public static ushort AssociationIdOf(int index) => (ushort)(FirstAssociationId + index);

    /// <summary>Records when the daemon started (uptime counters).</summary>
    public void MarkStarted(LoopTime now) => _startMonoSeconds ??= now.MonoSeconds;

    internal long UptimeSeconds(LoopTime now) => _startMonoSeconds is double start ? (long)Math.Max(0, now.MonoSeconds - start) : 0;

    /// <summary>Seconds since the server counters were last reset (at start, then by each sysstats line).</summary>
    public long StatisticsAgeSeconds(LoopTime now) =>
        _statisticsResetMonoSeconds is double reset ? (long)Math.Max(0, now.MonoSeconds - reset) : UptimeSeconds(now);

    /// <summary>Zeroes the server counters, as ntpd does after writing a sysstats line.</summary>
    public void ResetStatistics(LoopTime now)
    {
        _engine.Server.Counters.Reset();
        _statisticsResetMonoSeconds = now.MonoSeconds;
    }

    private double? _statisticsResetMonoSeconds;

    /// <summary>
    /// Answers one datagram. Returns the fragments to send in order (empty: send nothing). The list
    /// is reused by the next call.
    /// </summary>
    /// <param name="now">The loop's time: "clock" is its real part; root dispersion grows with its monotonic part.</param>
    public IReadOnlyList<byte[]> Respond(ReadOnlySpan<byte> request, LoopTime now) => Respond(request, now, default, RestrictFlags.None);

    /// <summary>
    /// Answers one datagram from <paramref name="client"/>, whose restrict entry has
    /// <paramref name="flags"/> (the nonce is bound to the source address and port; `nomrulist`
    /// refuses READ_MRU). Returns the fragments to send in order (empty: send nothing).
    /// </summary>
    public IReadOnlyList<byte[]> Respond(ReadOnlySpan<byte> request, LoopTime now, in ClientAddress client, RestrictFlags flags) =>
        Respond(request, now, client, flags, _scratchActions);

    /// <summary>
    /// As <see cref="Respond(ReadOnlySpan{byte}, LoopTime, in ClientAddress, RestrictFlags)"/>; what a
    /// CONFIGURE request changes (associations mobilized or demobilized, names to resolve) goes into
    /// <paramref name="actions"/>.
    /// </summary>
    public IReadOnlyList<byte[]> Respond(ReadOnlySpan<byte> request, LoopTime now, in ClientAddress client, RestrictFlags flags, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        _fragments.Clear();
        Requests++;
        if (!TryReadRequest(request, out ControlHeader header, out ReadOnlySpan<byte> data, out bool badFormat))
        {
            Dropped++;
            return _fragments;
        }

        if (badFormat)
        {
            AddError(header, ControlErrorCode.BadFormat);
            return _fragments;
        }

        SymmetricKey? replyKey = Authenticate(request, header, client);
        CollectAssociations();
        switch (header.Opcode)
        {
            case ControlOpcode.ReadStatus:
                ReadStatus(header);
                break;
            case ControlOpcode.ReadVariables:
                ReadVariables(header, data, now);
                break;
            case ControlOpcode.ReadClock:
                ReadClock(header, data);
                break;
            case ControlOpcode.ReadOrderedList when replyKey is null || replyKey.KeyId != ControlKey:
                // ifstats and reslist describe the host's addresses and its access policy: only to a
                // request signed with the controlkey, as ntpd (its AUTH opcodes) and NTPsec.
                OrderedListsRefused++;
                AddError(header, ControlErrorCode.Permission);
                break;
            case ControlOpcode.ReadOrderedList:
                ReadOrderedList(header, data, now);
                break;
            case ControlOpcode.RequestNonce:
                _writer.Clear();
                _writer.AddRaw("nonce", _nonce.Issue(client, now));
                AddFragments(header, 0, _writer.ToBytes());
                break;
            case ControlOpcode.ReadMru:
                ReadMru(header, data, now, client, flags);
                break;
            case ControlOpcode.WriteVariables or ControlOpcode.WriteClock or ControlOpcode.Configure or ControlOpcode.SaveConfig
                when replyKey is null || replyKey.KeyId != ControlKey:
                WritesRefused++;
                AddError(header, ControlErrorCode.Permission);
                break;
            case ControlOpcode.WriteVariables or ControlOpcode.Configure
                when _freshness.Check(request, header.Count, data, _nonce, client, now) != WriteFreshnessVerdict.Fresh:
                // A copy of a write already carried out, or one whose nonce is not this client's or is stale.
                WritesNotFresh++;
                AddError(header, ControlErrorCode.Permission);
                break;
            case ControlOpcode.WriteVariables:
                WriteVariables(header, data);
                break;
            case ControlOpcode.Configure:
                Configure(header, data, client, flags, now, actions);
                break;
            case ControlOpcode.SaveConfig:
                AddText(header, "saveconfig prohibited, no saveconfigdir configured");
                break;
            case ControlOpcode.WriteClock or ControlOpcode.SetTrap or ControlOpcode.UnsetTrap:
                AddError(header, ControlErrorCode.Permission);
                break;
            default:
                AddError(header, ControlErrorCode.BadOpcode);
                break;
        }

        if (replyKey is not null)
        {
            for (int i = 0; i < _fragments.Count; i++)
            {
                _fragments[i] = ControlMac.SignCopy(replyKey, _fragments[i]);
            }
        }

        return _fragments;
    }

    /// <summary>The key of a request's valid MAC, or null (no MAC, an untrusted key, a wrong digest).</summary>
    private SymmetricKey? Authenticate(ReadOnlySpan<byte> request, ControlHeader header, in ClientAddress client)
    {
        if (!ControlMac.TryFind(request, header.Count, out uint keyId))
        {
            return null;
        }

        if (_engine.Server.Keys.TryGetTrusted(keyId, client, out SymmetricKey? key) && ControlMac.Verify(key, request, header.Count))
        {
            return key;
        }

        AuthenticationFailures++;
        return null;
    }

    /// <summary>WRITEVAR: peers are never writable; of the system variables none is (see the file header).</summary>
    private void WriteVariables(ControlHeader request, ReadOnlySpan<byte> data)
    {
        if (request.AssociationId != 0)
        {
            AddError(request, ControlErrorCode.Permission);
            return;
        }

        var reader = new ControlVariableReader(data);
        while (reader.TryReadNext(out ControlVariable variable))
        {
            bool known = Match(variable.Name, SystemVariableSet.DefaultVariables) is not null
                || Match(variable.Name, SystemVariableSet.ExtraVariables) is not null;
            AddError(request, known ? ControlErrorCode.Permission : ControlErrorCode.UnknownVariable);
            return;
        }

        AddFragments(request, SystemStatus(), []);
    }

    /// <summary>CONFIGURE (ntpq :config): checks as ntpd's configure(), then the host applies the text.</summary>
    private void Configure(ControlHeader request, ReadOnlySpan<byte> data, in ClientAddress client, RestrictFlags flags, LoopTime now, EngineActions actions)
    {
        if (request.AssociationId != 0)
        {
            AddError(request, ControlErrorCode.BadValue);
            return;
        }

        if ((flags & RestrictFlags.NoModify) != 0)
        {
            AddText(request, "runtime configuration prohibited by restrict ... nomodify");
            return;
        }

        // The text ends at the first NUL (ntpq may send one); anything else must be printable or white space.
        int end = data.IndexOf((byte)0);
        ReadOnlySpan<byte> text = end >= 0 ? data[..end] : data;
        foreach (byte octet in text)
        {
            if (octet is (< 0x20 and not (byte)'\t' and not (byte)'\n' and not (byte)'\r') or >= 0x7F)
            {
                AddText(request, "runtime configuration failed: request contains an unprintable character");
                return;
            }
        }

        if (Configurator is null)
        {
            AddText(request, "runtime configuration is not available");
            return;
        }

        AddText(request, Configurator.Configure(Encoding.ASCII.GetString(text), client, now, actions));
    }

    private void AddText(ControlHeader request, string text) => AddFragments(request, 0, Encoding.ASCII.GetBytes(text));

    /// <summary>The system status word (ntpd ctlsysstatus).</summary>
    public ushort SystemStatus()
    {
        SystemVariables system = _engine.System;
        if (!system.IsSynchronized)
        {
            return new SystemStatusWord(LeapIndicator.Unsynchronized, SystemStatusWord.SourceUnspecified, 1, SystemStatusWord.EventRestart).Encode();
        }

        byte source = _engine.Sources.SystemPeer is not null ? SystemStatusWord.SourceNtp : SystemStatusWord.SourceLocal;
        return new SystemStatusWord(system.Leap, source, 1, SystemStatusWord.EventClockSync).Encode();
    }

    /// <summary>The peer status word of one local clock (ntpd ctlpeerstatus).</summary>
    public ushort PeerStatus(LocalClockSource clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new LocalClockAssociation(clock, 0, ReferenceEquals(clock, _engine.SystemPeer)).StatusWord();
    }

    /// <summary>INFO_FLAG_* system flags (ntpdc sysinfo).</summary>
    public byte SystemFlags() => SystemVariableSet.Flags(Host);

    /// <summary>The kernel discipline's state, read at most once per second for mode 6 (k* variables)
    /// and mode 7 (REQ_GET_KERNEL) alike; null without a kernel discipline.</summary>
    internal KernelLoopState? KernelLoop(LoopTime now) => _systemVariables.KernelLoop(Host, now);

    /// <summary>Every association, local clocks first, in id order.</summary>
    internal IReadOnlyList<ControlAssociation> CollectAssociations()
    {
        _associations.Clear();
        IReadOnlyList<LocalClockSource> clocks = _engine.LocalClocks;
        for (int i = 0; i < clocks.Count; i++)
        {
            _associations.Add(new LocalClockAssociation(clocks[i], AssociationIdOf(i), ReferenceEquals(clocks[i], _engine.SystemPeer)));
        }

        RemoteSource? remotePeer = _engine.Sources.SystemPeer;
        foreach (RemoteSource source in _engine.Sources.Sources)
        {
            _associations.Add(new RemoteSourceAssociation(source, ReferenceEquals(source, remotePeer), _engine.Sources));
        }

        return _associations;
    }

    internal ControlAssociation? SystemPeerAssociation()
    {
        foreach (ControlAssociation association in CollectAssociationsIfEmpty())
        {
            if (association.IsSystemPeer)
            {
                return association;
            }
        }

        return null;
    }

    /// <summary>The system refid as ntpd prints it: text at stratum 0, 1 and 16, an address otherwise
    /// (127.127.1.0 when synchronized to the local clock driver).</summary>
    internal string SystemReferenceIdText()
    {
        SystemVariables system = _engine.System;
        return system.Stratum <= 1 || system.Stratum >= SystemVariables.UnsynchronizedStratum
            ? system.ReferenceId.ToAscii()
            : system.ReferenceId.ToDottedQuad();
    }

    internal ControlAssociation? FindAssociation(int associationId)
    {
        foreach (ControlAssociation association in CollectAssociationsIfEmpty())
        {
            if (association.Id == associationId)
            {
                return association;
            }
        }

        return null;
    }

    private IReadOnlyList<ControlAssociation> CollectAssociationsIfEmpty() =>
        _associations.Count == 0 ? CollectAssociations() : _associations;

    /// <summary>
    /// ntpd's process_control checks: too short, a response, a fragment or a nonzero offset is
    /// dropped; a count beyond the data or a length not a multiple of 4 is answerable with BADFMT.
    /// </summary>
    private static bool TryReadRequest(ReadOnlySpan<byte> request, out ControlHeader header, out ReadOnlySpan<byte> data, out bool badFormat)
    {
        badFormat = false;
        data = default;
        if (ControlMessage.TryRead(request, out header, out data, out _, out ControlMessageError error))
        {
            if (header.IsResponse || header.IsError || header.HasMore || header.Offset != 0)
            {
                return false;
            }

            badFormat = (request.Length & 3) != 0;
            return true;
        }

        if (error is not (ControlMessageError.BadCount or ControlMessageError.BadOffset) || request.Length < ControlMessage.HeaderSize
            || (request[1] & 0xE0) != 0 || BinaryPrimitives.ReadUInt16BigEndian(request[8..]) != 0)
        {
            return false;
        }

        header = new ControlHeader((byte)((request[0] >> 3) & 7), false, false, false, (ControlOpcode)(request[1] & 0x1F),
            BinaryPrimitives.ReadUInt16BigEndian(request[2..]), 0, BinaryPrimitives.ReadUInt16BigEndian(request[6..]), 0, 0);
        badFormat = true;
        return true;
    }

    private void ReadStatus(ControlHeader request)
    {
        if (request.AssociationId == 0)
        {
            var data = new byte[_associations.Count * 4];
            for (int i = 0; i < _associations.Count; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(i * 4), (ushort)_associations[i].Id);
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan((i * 4) + 2), _associations[i].StatusWord());
            }

            AddFragments(request, SystemStatus(), data);
            return;
        }

        ControlAssociation? association = FindAssociation(request.AssociationId);
        if (association is null)
        {
            AddError(request, ControlErrorCode.BadAssociation);
            return;
        }

        AddFragments(request, association.StatusWord(), []);
    }

    private void ReadVariables(ControlHeader request, ReadOnlySpan<byte> data, LoopTime now)
    {
        ControlAssociation? association = null;
        if (request.AssociationId != 0)
        {
            association = FindAssociation(request.AssociationId);
            if (association is null)
            {
                AddError(request, ControlErrorCode.BadAssociation);
                return;
            }
        }

        bool known = association is null
            ? TryCollectRequested(data, SystemVariableSet.DefaultVariables, SystemVariableSet.ExtraVariables)
            : TryCollectRequested(data, ControlAssociation.DefaultVariables, ControlAssociation.ExtraVariables);
        if (!known)
        {
            AddError(request, ControlErrorCode.UnknownVariable);
            return;
        }

        _writer.Clear();
        if (association is null)
        {
            foreach (string name in _requested.Count > 0 ? (IReadOnlyList<string>)_requested : SystemVariableSet.DefaultVariables)
            {
                _systemVariables.Write(name, _writer, now);
            }

            AddFragments(request, SystemStatus(), _writer.ToBytes());
            return;
        }

        Host.AssociationSockets.TryGetValue(association.Id, out System.Net.IPEndPoint? local);
        foreach (string name in _requested.Count > 0 ? (IReadOnlyList<string>)_requested : ControlAssociation.DefaultVariables)
        {
            association.TryWrite(name, _writer, now, local);
        }

        AddFragments(request, association.StatusWord(), _writer.ToBytes());
    }

    /// <summary>READCLOCK: the clock variables of a reference clock (assoc 0: the system peer's).</summary>
    private void ReadClock(ControlHeader request, ReadOnlySpan<byte> data)
    {
        ControlAssociation? association = request.AssociationId == 0 ? SystemPeerAssociation() : FindAssociation(request.AssociationId);
        if (association is not IClockVariables clock || !association.IsRefclock)
        {
            AddError(request, ControlErrorCode.BadAssociation);
            return;
        }

        if (!TryCollectRequested(data, IClockVariables.Names, []))
        {
            AddError(request, ControlErrorCode.UnknownVariable);
            return;
        }

        _writer.Clear();
        foreach (string name in _requested.Count > 0 ? (IReadOnlyList<string>)_requested : IClockVariables.Names)
        {
            clock.TryWriteClockVariable(name, _writer);
        }

        AddFragments(request, LocalClockAssociation.ClockStatusWord, _writer.ToBytes());
    }

    /// <summary>READ_ORDLIST_A: interface statistics (no data) or the restrict list ("addr_restrictions").</summary>
    private void ReadOrderedList(ControlHeader request, ReadOnlySpan<byte> data, LoopTime now)
    {
        ReadOnlySpan<byte> name = data.TrimEnd("\0\r\n "u8);
        _writer.Clear();
        if (name.IsEmpty || Ascii.Equals(name, "ifstats"))
        {
            OrderedListWriter.WriteInterfaces(Host.Interfaces, now, _writer);
        }
        else if (Ascii.Equals(name, RestrictionListName))
        {
            if (_engine.Server.Access is { } access)
            {
                OrderedListWriter.WriteRestrictions(access, _writer);
            }
        }
        else
        {
            AddError(request, ControlErrorCode.UnknownVariable);
            return;
        }

        AddFragments(request, 0, _writer.ToBytes());
    }

    /// <summary>READ_MRU: one page of the MRU list for a client that echoes a valid nonce.</summary>
    private void ReadMru(ControlHeader request, ReadOnlySpan<byte> data, LoopTime now, in ClientAddress client, RestrictFlags flags)
    {
        if ((flags & RestrictFlags.NoMruList) != 0)
        {
            MruRestricted++;
            AddError(request, ControlErrorCode.Permission);
            return;
        }

        if (_mruRequest.Parse(data) != MruRequestError.None || !_nonce.IsValid(_mruRequest.Nonce, client, now))
        {
            MruNonceRejected++;
            return;
        }

        switch (MruListWriter.Write(_engine.Server.Access?.Mru, _mruRequest, _nonce.Issue(client, now), now, _writer))
        {
            case MruAnswer.BadValue:
                AddError(request, ControlErrorCode.BadValue);
                break;
            case MruAnswer.UnknownStart:
                AddError(request, ControlErrorCode.UnknownVariable);
                break;
            default:
                AddFragments(request, 0, _writer.ToBytes());
                break;
        }
    }

    private bool TryCollectRequested(ReadOnlySpan<byte> data, string[] defaults, string[] extras)
    {
        _requested.Clear();
        var reader = new ControlVariableReader(data);
        while (reader.TryReadNext(out ControlVariable variable))
        {
            string? match = Match(variable.Name, defaults) ?? Match(variable.Name, extras);
            if (match is null)
            {
                return false;
            }

            _requested.Add(match);
        }

        return true;
    }

    private static string? Match(ReadOnlySpan<byte> name, string[] known)
    {
        foreach (string candidate in known)
        {
            if (name.Length == candidate.Length && Ascii.Equals(name, candidate))
            {
                return candidate;
            }
        }

        return null;
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

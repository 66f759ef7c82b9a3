// `enable calibrate` (ntpd's calibration facility): while the system peer is a network server, a
// reference clock's time1 follows it, so a clock 5 ms off comes to show the server's offset (0 here)
// and ntpq's fudgetime1 shows the correction; without the flag, or while a reference clock is the
// system peer, nothing changes.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;

namespace Stratum.Engine.Tests.Associations;

public sealed class RefclockCalibrationTests
{
    private const double ClockOff = 0.005;
    private const double OneWay = 0.001;

    private readonly EngineTestClock _clock = new();
    private readonly EngineActions _actions = new();
    private readonly byte[] _reply = new byte[68];

    private static readonly RemoteAssociationSettings s_server = new(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 123), AssociationMode.Client,
        true, false, false, false, false, 4, 4, 4, "192.0.2.10");

    private static readonly RemoteAssociationSettings s_refclock = new(new IPEndPoint(IPAddress.Parse("127.127.28.0"), 123), AssociationMode.Refclock,
        false, false, false, true, false, 4, 4, 4, "SHM(0)") { Refclock = new RefclockIdentity(0, ReferenceId.FromAscii("SHM"), 0.001) };

    private NtpEngine Run(bool calibrate)
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], false, [s_server, s_refclock]) { CalibrateRefclocks = calibrate }, -20, new SeededRandom(3));
        engine.Start(_clock.Now, _actions);
        int refclockId = engine.Sources.Sources.Single(s => s.Association.IsRefclock).Id;
        for (int second = 0; second < 1200; second++)
        {
            _actions.Clear();
            engine.OnTimer(_clock.Now, _actions);
            foreach (OutgoingPacket packet in _actions.Packets.ToArray())
            {
                Answer(engine, packet.AssociationId, _actions.PacketBytes(packet).ToArray());
            }

            if (second % 16 == 0)
            {
                // The clock's reading: 5 ms off, plus its configured time1 of 1 ms.
                engine.OnRefclockPoll(refclockId, ClockOff - 0.001, 1e-6, LeapIndicator.NoWarning, -20, _clock.Now, _actions, 0);
            }

            _clock.Advance(1 - (2 * OneWay));
        }

        return engine;
    }

    // The server's clock is ours: its reply gives offset 0.
    private void Answer(NtpEngine engine, int id, byte[] request)
    {
        engine.MarkSent(id, _clock.Now.Real);
        NtpHeader asked = NtpHeader.Read(request);
        _clock.Advance(OneWay);
        NtpTimestamp at = _clock.Now.Real;
        var reply = new byte[NtpHeader.Size];
        new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Server, 1, asked.Poll, -20, NtpShort.Zero, NtpShort.Zero,
            ReferenceId.FromAscii("GPS"), at, asked.TransmitTime, at, at).Write(reply);
        _clock.Advance(OneWay);
        engine.OnDatagram(DatagramContext.ForAssociation(id, Stratum.Engine.Access.ClientAddress.From(s_server.Address.Address, 123), _clock.Now.Real, _clock.Now, reply),
            _reply, _actions);
    }

    [Fact]
    public void Calibrate_TheReferenceClockComesToShowTheServersOffset()
    {
        NtpEngine engine = Run(calibrate: true);
        RemoteSource refclock = engine.Sources.Sources.Single(s => s.Association.IsRefclock);
        Assert.Equal("192.0.2.10", engine.Sources.SystemPeer?.Association.Settings.DisplayName);
        Assert.Equal(-ClockOff, refclock.Association.Calibration, 4);
        Assert.Equal(0, refclock.Filter.Last.Offset, 4);
    }

    [Fact]
    public void WithoutCalibrate_TheReferenceClockKeepsItsOffset()
    {
        NtpEngine engine = Run(calibrate: false);
        RemoteSource refclock = engine.Sources.Sources.Single(s => s.Association.IsRefclock);
        Assert.Equal(0, refclock.Association.Calibration);
        Assert.Equal(ClockOff, refclock.Filter.Last.Offset, 6);
    }
}

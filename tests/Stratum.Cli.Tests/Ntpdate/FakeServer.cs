// FakeServer: how one fake NTP server on the in-memory network behaves: stratum, leap, how far its
// clock is from true time, path delay, precision, refid, a kiss code to send, or silence; with a
// key it answers only requests signed by that key, and signs its replies.
using System.Net;
using Stratum.Core.Wire;

namespace Stratum.Cli.Tests.Ntpdate;

/// <summary>A fake NTP server's behaviour.</summary>
internal sealed record FakeServer(string Address)
{
    public byte Stratum { get; init; } = 2;

    public LeapIndicator Leap { get; init; } = LeapIndicator.NoWarning;

    /// <summary>How far the server's clock is ahead of true time.</summary>
    public double ClockOffsetSeconds { get; init; }

    /// <summary>One-way network delay (the same both ways).</summary>
    public double OneWayDelaySeconds { get; init; } = 0.0002;

    public sbyte Precision { get; init; } = -20;

    public ReferenceId ReferenceId { get; init; } = new(0x0a000001);

    /// <summary>Kiss code to answer with (stratum 0, leap 3) instead of the time.</summary>
    public KissCode? Kiss { get; init; }

    /// <summary>Never answers.</summary>
    public bool Silent { get; init; }

    /// <summary>Answers only requests with a valid MAC by this key, and signs its replies with it.</summary>
    public Stratum.Core.Auth.SymmetricKey? Key { get; init; }

    public IPAddress IPAddress => IPAddress.Parse(Address);
}

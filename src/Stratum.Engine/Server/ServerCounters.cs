// ServerCounters: packet counts of the time server path, read by logs and, later, ntpq sysstats.
namespace Stratum.Engine.Server;

/// <summary>Counts of requests seen and what became of them.</summary>
public sealed class ServerCounters
{
    public long Received { get; internal set; }

    public long Replied { get; internal set; }

    public long DroppedMalformed { get; internal set; }

    public long DroppedVersion { get; internal set; }

    public long DroppedMode { get; internal set; }

    public long Control { get; internal set; }

    /// <summary>Replies that carried a crypto-NAK because the request had a MAC we cannot check.</summary>
    public long CryptoNaks { get; internal set; }

    /// <summary>Replies answered with an older version than 4.</summary>
    public long OlderVersion { get; internal set; }

    public long Dropped => DroppedMalformed + DroppedVersion + DroppedMode;

    internal void Count(ServerDecision decision)
    {
        switch (decision)
        {
            case ServerDecision.Reply: Replied++; break;
            case ServerDecision.DropMalformed: DroppedMalformed++; break;
            case ServerDecision.DropVersion: DroppedVersion++; break;
            case ServerDecision.DropMode: DroppedMode++; break;
            case ServerDecision.Control: Control++; break;
        }
    }
}

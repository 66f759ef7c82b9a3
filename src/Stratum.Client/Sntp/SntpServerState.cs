// SntpServerState: what the query engine knows about one server address: the samples gathered, the
// request in flight (its random transmit cookie and our real send time T1), the last accepted
// reply's header and any kiss code. The engine mutates it; tools read it to print results.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Client.Sntp;

/// <summary>Per-server progress and results of an SNTP query.</summary>
public sealed class SntpServerState
{
    private readonly List<FilterSample?> _samples = new(SampleFilter.MaxSamples);

    internal SntpServerState(IPEndPoint endpoint, long firstTransmitMonotonic)
    {
        Endpoint = endpoint;
        NextEventMonotonic = firstTransmitMonotonic;
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>One slot per finished exchange, in order; null where the reply never came or was unusable.</summary>
    public IReadOnlyList<FilterSample?> Samples => _samples;

    /// <summary>Requests sent so far.</summary>
    public int TransmitCount { get; private set; }

    /// <summary>Header of the last reply that passed the checks; null until one did.</summary>
    public NtpHeader? LastReply { get; private set; }

    /// <summary>The kiss code a Kiss-o'-Death reply carried (RFC 5905 §7.4), if one came.</summary>
    public KissCode? Kiss { get; private set; }

    /// <summary>Our clock when the last request left (T1), as an NTP timestamp.</summary>
    public NtpTimestamp LastTransmitTime { get; private set; }

    /// <summary>No more requests will be sent.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>
    /// Stratum as ntpdate records it: 0 before any reply was accepted, 16 after a kiss code, else
    /// the reply's stratum.
    /// </summary>
    public byte Stratum => Kiss is not null ? (byte)16 : LastReply?.Stratum ?? 0;

    internal long NextEventMonotonic { get; set; }

    /// <summary>The transmit timestamp our outstanding request carried; zero when none is outstanding.</summary>
    internal NtpTimestamp OutstandingCookie { get; private set; }

    internal bool AwaitingReply { get; private set; }

    internal int FilledSlots => _samples.Count;

    internal void RecordTransmit(NtpTimestamp cookie, NtpTimestamp originTime)
    {
        OutstandingCookie = cookie;
        LastTransmitTime = originTime;
        AwaitingReply = true;
        TransmitCount++;
    }

    internal void RecordReplyHeader(in NtpHeader header)
    {
        LastReply = header;

        // The cookie is spent: a duplicate or replayed copy of this reply no longer matches.
        OutstandingCookie = NtpTimestamp.Zero;
    }

    internal void RecordSample(FilterSample? sample)
    {
        _samples.Add(sample);
        AwaitingReply = false;
    }

    internal void RecordKiss(KissCode kiss, in NtpHeader header)
    {
        Kiss = kiss;
        LastReply = header;
        OutstandingCookie = NtpTimestamp.Zero;
        AwaitingReply = false;
    }

    internal void Complete()
    {
        IsComplete = true;
        AwaitingReply = false;
        OutstandingCookie = NtpTimestamp.Zero;
    }
}

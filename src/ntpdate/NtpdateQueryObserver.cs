// NtpdateQueryObserver: what ntpdate says while the query runs. Always: a send error as
// "sendto(ADDR): text" and a RATE kiss as "ADDR rate limit response from server." (ntpdate 4.2.8's
// wording, both logged as errors). Under -d also ntpdate's trace lines, "transmit(ADDR)",
// "receive(ADDR)" and why a datagram was dropped, plus each exchange's T1–T4 with its offset and
// measured delay (the exact layout of these debug lines is ours; ntpdate's vary by build).
using Stratum.Client.Display;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Wire;

namespace Stratum.Tools.Ntpdate;

/// <summary>Prints ntpdate's per-packet messages.</summary>
internal sealed class NtpdateQueryObserver : ISntpQueryObserver
{
    private readonly TextWriter _stdout;
    private readonly NtpdateLog _log;
    private readonly bool _debug;

    public NtpdateQueryObserver(TextWriter stdout, NtpdateLog log, bool debug)
    {
        _stdout = stdout;
        _log = log;
        _debug = debug;
    }

    public void OnTransmit(SntpServerState server, in NtpHeader request, TransportError error)
    {
        string address = NtpdateReport.AddressText(server.Endpoint.Address);
        if (_debug)
        {
            _stdout.WriteLine($"transmit({address})");
        }

        if (!error.IsNone)
        {
            _log.Error($"sendto({address}): {error.Message}");
        }
    }

    public void OnReceive(in ReceivedDatagram datagram, in SntpReply reply)
    {
        string address = NtpdateReport.AddressText(datagram.Source.Address);
        if (reply.Status == SntpReplyStatus.KissOfDeath && reply.Kiss == KissCode.Rate)
        {
            _log.Error($"{address} rate limit response from server.");
        }

        if (!_debug)
        {
            return;
        }

        _stdout.WriteLine($"receive({address})");
        var header = reply.Header;
        switch (reply.Status)
        {
            case SntpReplyStatus.Malformed when reply.ParseError == PacketError.TooShort:
                _stdout.WriteLine($"receive: packet length {datagram.Length}");
                break;
            case SntpReplyStatus.Malformed:
                _stdout.WriteLine($"receive: malformed packet ({reply.ParseError})");
                break;
            case SntpReplyStatus.UnexpectedMode or SntpReplyStatus.StratumOutOfRange:
                _stdout.WriteLine($"receive: mode {(int)header.Mode} stratum {header.Stratum}");
                break;
            case SntpReplyStatus.UnknownSource:
                _stdout.WriteLine("receive: server not found");
                break;
            case SntpReplyStatus.OriginMismatch:
                _stdout.WriteLine("receive: pkt.org and peer.xmt differ");
                break;
            case SntpReplyStatus.KissOfDeath:
                _stdout.WriteLine($"receive: kiss code {reply.Kiss} from server");
                break;
            case SntpReplyStatus.AuthenticationFailed:
                _stdout.WriteLine("receive: authentication failed");
                break;
            case SntpReplyStatus.ServerClockInsane:
                _stdout.WriteLine($"receive: server clock unusable (rec {header.ReceiveTime}, xmt {header.TransmitTime})");
                break;
            case SntpReplyStatus.Accepted:
                var t = reply.Timestamps;
                _stdout.WriteLine($"receive: t1 {t.Origin} t2 {t.Receive} t3 {t.Transmit} t4 {t.Destination}");
                _stdout.WriteLine($"offset: {FixedPointText.SignedSeconds(t.Offset, 6)}, delay {FixedPointText.ShortSigned(t.Delay, 5)}"
                    + (reply.Sample is null ? " (unusable)" : string.Empty));
                break;
        }
    }
}

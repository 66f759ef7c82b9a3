// ISntpQueryObserver: a window on the query as it runs, for debug output (ntpdate -d prints a line
// per request and per reply). The runner calls it after each send and each receive; it must not
// block, since replies are being timed.
using Stratum.Client.Transport;
using Stratum.Core.Wire;

namespace Stratum.Client.Sntp;

/// <summary>Receives each request sent and each datagram received during a query.</summary>
public interface ISntpQueryObserver
{
    void OnTransmit(SntpServerState server, in NtpHeader request, TransportError error);

    void OnReceive(in ReceivedDatagram datagram, in SntpReply reply);
}

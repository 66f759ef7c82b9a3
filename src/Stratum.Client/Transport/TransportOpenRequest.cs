// TransportOpenRequest and TransportOpenResult: what a tool asks of a transport factory and what it
// gets back. ntpdate binds source port 123 only when it will set the clock without -u (ntpdate
// 4.2.8's init_io); queries use an unprivileged, kernel-chosen port.
namespace Stratum.Client.Transport;

/// <summary>Which sockets to open: the address families allowed and whether to bind port 123.</summary>
public sealed record TransportOpenRequest(bool BindNtpPort, bool AllowIPv4, bool AllowIPv6);

/// <summary>An open transport, or the error that prevented opening it.</summary>
public readonly record struct TransportOpenResult(INtpTransport? Transport, TransportError Error)
{
    public static TransportOpenResult Opened(INtpTransport transport) => new(transport, TransportError.None);

    public static TransportOpenResult Failed(TransportError error) => new(null, error);
}

// TransportError: what went wrong opening, sending or binding a socket, as a value. Kinds the tools
// word differently get their own member (ntpdate says "the NTP socket is in use, exiting" for
// AddressInUse); Message carries the operating system's text ("Permission denied").
namespace Stratum.Client.Transport;

/// <summary>Kinds of transport failure the tools tell apart.</summary>
public enum TransportErrorKind
{
    None = 0,
    /// <summary>EADDRINUSE: another process holds the port (e.g. an NTP daemon on 123).</summary>
    AddressInUse,
    /// <summary>EACCES: binding a privileged port without CAP_NET_BIND_SERVICE.</summary>
    PermissionDenied,
    /// <summary>No socket of the destination's address family is open (IPv6 unavailable, -4/-6).</summary>
    AddressFamilyUnavailable,
    /// <summary>Any other socket error; see the message.</summary>
    Other,
}

/// <summary>A transport failure with the operating system's wording; <see cref="None"/> on success.</summary>
public readonly record struct TransportError(TransportErrorKind Kind, string Message)
{
    public static TransportError None => default;

    public bool IsNone => Kind == TransportErrorKind.None;
}

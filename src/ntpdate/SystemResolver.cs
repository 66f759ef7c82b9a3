// SystemResolver: resolves ntpdate's server arguments with System.Net.Dns (this is a tool, not the
// daemon, so a blocking lookup is fine) and maps failures to getaddrinfo's codes and glibc's texts.
// Like ntpdate 4.2.8's addserver(), every address of a name becomes a server, filtered by -4/-6, and
// an address with no route (a UDP connect fails, e.g. IPv6 on an IPv4-only host) is skipped.
using System.Net;
using System.Net.Sockets;

namespace Stratum.Tools.Ntpdate;

/// <summary>Name resolution for the real ntpdate.</summary>
internal static class SystemResolver
{
    public static HostResolution Resolve(string name, AddressFamily family, int port)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(name, out IPAddress? literal))
        {
            if (family != AddressFamily.Unspecified && literal.AddressFamily != family)
            {
                return HostResolution.Failed(HostResolution.AddressFamilyMismatch, "Address family for hostname not supported");
            }

            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = Dns.GetHostAddresses(name, family);
            }
            catch (SocketException exception)
            {
                return exception.SocketErrorCode switch
                {
                    SocketError.TryAgain => HostResolution.Failed(HostResolution.TemporaryFailure, "Temporary failure in name resolution"),
                    SocketError.NoRecovery => HostResolution.Failed(HostResolution.NonRecoverableFailure, "Non-recoverable failure in name resolution"),
                    SocketError.NoData => HostResolution.Failed(HostResolution.NoAddress, "No address associated with hostname"),
                    _ => HostResolution.Failed(HostResolution.NameNotKnown, "Name or service not known"),
                };
            }
            catch (ArgumentException)
            {
                return HostResolution.Failed(HostResolution.NameNotKnown, "Name or service not known");
            }
        }

        var usable = new List<IPAddress>(addresses.Length);
        foreach (IPAddress address in addresses)
        {
            if (family != AddressFamily.Unspecified && address.AddressFamily != family)
            {
                continue;
            }

            if (!usable.Contains(address) && IsReachable(address, port))
            {
                usable.Add(address);
            }
        }

        return usable.Count == 0 && addresses.Length == 0
            ? HostResolution.Failed(HostResolution.NoAddress, "No address associated with hostname")
            : HostResolution.Found(usable);
    }

    /// <summary>ntpdate's is_reachable(): a UDP connect succeeds only when a route exists. Sends nothing.</summary>
    private static bool IsReachable(IPAddress address, int port)
    {
        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

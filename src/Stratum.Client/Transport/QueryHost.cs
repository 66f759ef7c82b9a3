// QueryHost: the host argument of ntpq and ntpdc as their 4.2.8 versions resolve it: an address
// literal as given (brackets allowed around IPv6), else the first IPv4 address of the name, else its
// first IPv6 one, honouring -4/-6. Null when the name does not resolve. ReverseLookup names an
// address for the tables (peers, mrulist) when -n is not given.
using System.Net;
using System.Net.Sockets;

namespace Stratum.Client.Transport;

/// <summary>Resolves the host of a query tool.</summary>
public static class QueryHost
{
    /// <param name="host">The argument: a name or an address literal.</param>
    /// <param name="ipv4Only">-4.</param>
    /// <param name="ipv6Only">-6.</param>
    /// <param name="resolve">The resolver (System.Net.Dns by default).</param>
    public static IPAddress? Resolve(string host, bool ipv4Only, bool ipv6Only, Func<string, IPAddress[]>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? literal))
        {
            return literal;
        }

        IPAddress[] addresses;
        try
        {
            addresses = (resolve ?? Dns.GetHostAddresses)(host);
        }
        catch (SocketException)
        {
            return null;
        }

        IPAddress? fallback = null;
        foreach (IPAddress address in addresses)
        {
            bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
            if ((v6 && ipv4Only) || (!v6 && ipv6Only))
            {
                continue;
            }

            if (!v6)
            {
                return address;
            }

            fallback ??= address;
        }

        return fallback;
    }

    /// <summary>The host name of <paramref name="address"/>, or null (the wildcard address, or no name).</summary>
    public static string? ReverseLookup(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return null;
        }

        try
        {
            // The name comes from whoever serves the reverse zone: control characters are shown escaped.
            string name = Dns.GetHostEntry(address).HostName;
            return string.IsNullOrEmpty(name) ? null : Stratum.Client.Display.TerminalText.Escape(name);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return null;
        }
    }
}

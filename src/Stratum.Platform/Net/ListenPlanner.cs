// ListenPlanner: decides which addresses ntpd binds, as ntpd does: every address of every interface
// plus the IPv4 and IPv6 wildcards, each kept or dropped by the `interface` rules (the last matching
// rule wins; the caller evaluates them). Deviation: an address named explicitly by `interface
// listen ADDR` or `-I ADDR` is bound even when no interface carries it, so several daemons can share
// a host on 127.0.0.x (Linux accepts any 127/8 address on lo). IPv6 link-local addresses are skipped
// (they need a scope and are not useful to NTP clients).
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Stratum.Platform.Net;

/// <summary>Computes the listen endpoints from the host's interfaces and the config's rules.</summary>
public static class ListenPlanner
{
    /// <summary>One address found on the host (or named explicitly), with its interface.</summary>
    public readonly record struct Candidate(IPAddress Address, string InterfaceName, bool IsWildcard);

    /// <summary>Every unicast address of every interface that is up.</summary>
    public static IReadOnlyList<Candidate> HostAddresses()
    {
        var result = new List<Candidate>();
        try
        {
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus is OperationalStatus.Down)
                {
                    continue;
                }

                foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    result.Add(new Candidate(unicast.Address, nic.Name, false));
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list: only explicit addresses and wildcards remain.
        }

        return result;
    }

    /// <summary>Plans the endpoints to bind.</summary>
    /// <param name="hostAddresses">Interface addresses (see <see cref="HostAddresses"/>).</param>
    /// <param name="explicitAddresses">Addresses named by `interface listen ADDR` or -I.</param>
    /// <param name="listens">The rule verdict for (address, interface name, is wildcard).</param>
    /// <param name="allowIPv4">False with -6.</param>
    /// <param name="allowIPv6">False with -4.</param>
    /// <param name="port">UDP port (123).</param>
    public static IReadOnlyList<ListenEndpoint> Plan(
        IReadOnlyList<Candidate> hostAddresses,
        IReadOnlyList<IPAddress> explicitAddresses,
        Func<IPAddress, string, bool, bool> listens,
        bool allowIPv4,
        bool allowIPv6,
        int port)
    {
        ArgumentNullException.ThrowIfNull(hostAddresses);
        ArgumentNullException.ThrowIfNull(explicitAddresses);
        ArgumentNullException.ThrowIfNull(listens);
        var candidates = new List<Candidate>
        {
            new(IPAddress.Any, "wildcard", true),
            new(IPAddress.IPv6Any, "v6wildcard", true),
        };
        candidates.AddRange(hostAddresses);
        foreach (IPAddress address in explicitAddresses)
        {
            bool known = false;
            foreach (Candidate candidate in hostAddresses)
            {
                known |= candidate.Address.Equals(address);
            }

            if (!known)
            {
                candidates.Add(new Candidate(address, IPAddress.IsLoopback(address) ? "lo" : "-", false));
            }
        }

        var endpoints = new List<ListenEndpoint>();
        var seen = new HashSet<IPAddress>();
        foreach (Candidate candidate in candidates)
        {
            IPAddress address = candidate.Address;
            bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
            if ((v6 && !allowIPv6) || (!v6 && !allowIPv4) || (v6 && address.IsIPv6LinkLocal) || !seen.Add(address))
            {
                continue;
            }

            if (listens(address, candidate.InterfaceName, candidate.IsWildcard))
            {
                endpoints.Add(new ListenEndpoint(new IPEndPoint(address, port), candidate.InterfaceName, candidate.IsWildcard));
            }
        }

        return endpoints;
    }
}

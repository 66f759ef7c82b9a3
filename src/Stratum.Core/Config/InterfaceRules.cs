// InterfaceRules: the interface/nic rules of a config in file order, and ntpd's decision for a
// local address (ntp_io.c interface_action, ntpd 4.2.8). ntpd puts each rule at the head of a
// list and takes the first match, so the LAST matching line wins. "all" never matches loopback
// or wildcard addresses. Without a match: loopback addresses listen, wildcard sockets drop,
// and any other address listens only when there are no rules at all (so "interface listen eth0"
// alone means "only eth0"); otherwise it is ignored. ntpd's -L (novirtualips) is not modeled.
using System.Collections;
using System.Net;
using System.Net.Sockets;

namespace Stratum.Core.Config;

/// <summary>The interface rules of a configuration, with ntpd's evaluation.</summary>
public sealed class InterfaceRules : IReadOnlyList<InterfaceRule>
{
    private readonly InterfaceRule[] _rules;

    public InterfaceRules(IEnumerable<InterfaceRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules];
    }

    /// <summary>No rules: ntpd listens on every address except the wildcard sockets, which drop.</summary>
    public static InterfaceRules None { get; } = new([]);

    public int Count => _rules.Length;

    public InterfaceRule this[int index] => _rules[index];

    /// <summary>The action for a local address, as ntpd 4.2.8 decides it.</summary>
    /// <param name="address">The local address (0.0.0.0 or :: for a wildcard socket).</param>
    /// <param name="interfaceName">The interface name ("eth0"); empty for a wildcard socket.</param>
    /// <param name="isWildcard">True for the wildcard (INADDR_ANY / in6addr_any) sockets.</param>
    public InterfaceAction Evaluate(IPAddress address, string interfaceName, bool isWildcard)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(interfaceName);
        bool isLoopback = IPAddress.IsLoopback(address);
        for (int i = _rules.Length - 1; i >= 0; i--)
        {
            InterfaceRule rule = _rules[i];
            if (Matches(rule, address, interfaceName, isWildcard, isLoopback))
            {
                return rule.Action;
            }
        }

        if (isLoopback)
        {
            return InterfaceAction.Listen;
        }

        if (isWildcard)
        {
            return InterfaceAction.Drop;
        }

        return _rules.Length == 0 ? InterfaceAction.Listen : InterfaceAction.Ignore;
    }

    public IEnumerator<InterfaceRule> GetEnumerator() => ((IEnumerable<InterfaceRule>)_rules).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _rules.GetEnumerator();

    private static bool Matches(InterfaceRule rule, IPAddress address, string name, bool isWildcard, bool isLoopback) =>
        rule.Match switch
        {
            InterfaceMatch.All => !isLoopback && !isWildcard,
            InterfaceMatch.IPv4 => address.AddressFamily == AddressFamily.InterNetwork,
            InterfaceMatch.IPv6 => address.AddressFamily == AddressFamily.InterNetworkV6,
            InterfaceMatch.Wildcard => isWildcard,
            InterfaceMatch.Address => rule.Address is not null && IsInNetwork(address, rule.Address, rule.PrefixLength),
            InterfaceMatch.Name =>
                rule.Name is not null && name.Length > 0 && InterfaceNamePattern.Matches(rule.Name, name),
            _ => false,
        };

    /// <summary>Equal addresses, or equal first <paramref name="prefixLength"/> bits; scope ids ignored.</summary>
    private static bool IsInNetwork(IPAddress address, IPAddress network, int? prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        Span<byte> left = stackalloc byte[16];
        Span<byte> right = stackalloc byte[16];
        address.TryWriteBytes(left, out int length);
        network.TryWriteBytes(right, out _);
        int bits = prefixLength ?? length * 8;
        int wholeBytes = bits / 8;
        if (!left[..wholeBytes].SequenceEqual(right[..wholeBytes]))
        {
            return false;
        }

        int remainingBits = bits % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        int mask = 0xff << (8 - remainingBits) & 0xff;
        return (left[wholeBytes] & mask) == (right[wholeBytes] & mask);
    }
}

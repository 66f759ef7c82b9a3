// KissCode: the four-character codes a stratum-0 packet carries in its Reference ID (RFC 5905
// §7.4, "Kiss-o'-Death"). Known codes are listed; others are kept as their raw value.
namespace Stratum.Core.Wire;

/// <summary>A Kiss-o'-Death code (RFC 5905 §7.4, figure 13).</summary>
public readonly record struct KissCode(ReferenceId Id)
{
    /// <summary>Access denied by remote server: stop sending.</summary>
    public static KissCode Deny => new(ReferenceId.FromAscii("DENY"));

    /// <summary>Access denied due to local policy: stop sending.</summary>
    public static KissCode Restricted => new(ReferenceId.FromAscii("RSTR"));

    /// <summary>Rate exceeded: reduce the poll rate.</summary>
    public static KissCode Rate => new(ReferenceId.FromAscii("RATE"));

    /// <summary>The association has not yet synchronized for the first time.</summary>
    public static KissCode Initializing => new(ReferenceId.FromAscii("INIT"));

    /// <summary>A step change in system time has occurred but the association has not yet resynchronized.</summary>
    public static KissCode Step => new(ReferenceId.FromAscii("STEP"));

    public static KissCode Authentication => new(ReferenceId.FromAscii("AUTH"));

    public static KissCode CryptoFailure => new(ReferenceId.FromAscii("CRYP"));

    public static KissCode NoKey => new(ReferenceId.FromAscii("NKEY"));

    public static KissCode Drop => new(ReferenceId.FromAscii("DROP"));

    public static KissCode AutokeySequence => new(ReferenceId.FromAscii("AUTO"));

    public static KissCode Broadcast => new(ReferenceId.FromAscii("BCST"));

    public static KissCode Manycast => new(ReferenceId.FromAscii("MCST"));

    public static KissCode Anycast => new(ReferenceId.FromAscii("ACST"));

    public static KissCode RemoteAutokey => new(ReferenceId.FromAscii("RMOT"));

    /// <summary>The client must stop talking to this server (DENY, RSTR).</summary>
    public bool StopsAssociation => this == Deny || this == Restricted;

    /// <summary>The client must lengthen its poll interval (RATE).</summary>
    public bool ReducesRate => this == Rate;

    public override string ToString() => Id.ToAscii();
}

// TimeAdmission: what access control decided for one time request (mode 1 or 3) after the
// restrict flags passed: answer it, answer it as a leak through the rate limit, send a RATE
// kiss-o'-death instead, or drop it for exceeding the rate.
namespace Stratum.Engine.Access;

/// <summary>The rate-limit decision for a time request.</summary>
public enum TimeAdmission : byte
{
    /// <summary>Answer normally.</summary>
    Serve = 0,

    /// <summary>Over the rate, but answered normally: the occasional leak reply.</summary>
    Leak,

    /// <summary>Over the rate with `kod`: answer with a RATE kiss-o'-death.</summary>
    Kod,

    /// <summary>Over the rate: no reply.</summary>
    Drop,
}

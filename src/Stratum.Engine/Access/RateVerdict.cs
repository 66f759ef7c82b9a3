// RateVerdict: what the headway score says about one packet of a client (ntpd's ntp_monitor
// returns the same three cases through its RES_LIMITED and RES_KOD bits).
namespace Stratum.Engine.Access;

/// <summary>Result of accounting one packet against a client's headway score.</summary>
internal enum RateVerdict : byte
{
    /// <summary>Within both the minimum and the average spacing.</summary>
    Within = 0,

    /// <summary>Over a limit; the score was just pushed over, so a KoD may go out.</summary>
    ExceededKodAllowed,

    /// <summary>Over a limit, and a KoD already went out within the last average interval.</summary>
    Exceeded,
}

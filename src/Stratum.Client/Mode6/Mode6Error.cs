// Mode6Error: how a mode 6 query ended, as ntpq 4.2.8 tells the cases apart (ntpq.c ERR_* and
// the server's CERR_* codes carried in ServerError).
namespace Stratum.Client.Mode6;

/// <summary>Outcome kinds of <see cref="Mode6Client.Query"/>.</summary>
public enum Mode6Error
{
    None = 0,
    /// <summary>No fragment arrived in time (ntpq ERR_TIMEOUT).</summary>
    Timeout,
    /// <summary>Some fragments arrived, others never did (ERR_INCOMPLETE).</summary>
    Incomplete,
    /// <summary>The server answered with the E bit; see <see cref="Mode6Result.ServerError"/>.</summary>
    ServerError,
    /// <summary>More fragments or data than a response may hold (ERR_TOOMUCH).</summary>
    TooMuchData,
    /// <summary>The request could not be sent; see <see cref="Mode6Result.TransportMessage"/>.</summary>
    Transport,
    /// <summary>An authenticated request without a key (ntpq: "Keyid must be defined").</summary>
    NoKey,
}

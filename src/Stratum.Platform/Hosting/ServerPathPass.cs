// ServerPathPass: the counts of one pass of a ServerDatagramPath over a socket (or over the datagrams
// an extra loop handed over), reported to the loop that runs it (IServerPathOwner.Count) for its
// counters: ntpq's iostats and ifstats on the main loop.
namespace Stratum.Platform.Hosting;

/// <summary>Counts of one pass of a server path over a socket (or over handed-over datagrams).</summary>
/// <param name="Received">Datagrams read.</param>
/// <param name="TimeRequests">Of those, plain client requests the path answered or dropped itself.</param>
/// <param name="Sent">Replies the kernel took.</param>
/// <param name="Failed">Replies it refused.</param>
/// <param name="ReceiveErrors">Receive calls that failed (not "nothing waiting").</param>
internal readonly record struct ServerPathPass(int Received, int TimeRequests, int Sent, int Failed, int ReceiveErrors);

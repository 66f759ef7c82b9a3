// RawExchange: one accepted on-wire exchange as it was, for the rawstats file: the reply's header
// (leap, version, mode, stratum, poll, precision, root delay and dispersion, refid, T2, T3) with our
// own T1 (the clock reading just before the request left; the request itself carried a random
// cookie, RFC 9109 style) and T4 (the reply's receive time).
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Engine.Associations;

/// <summary>Header of an accepted reply with T1 and T4.</summary>
public sealed record RawExchange(NtpHeader Header, NtpTimestamp Transmit, NtpTimestamp Receive);

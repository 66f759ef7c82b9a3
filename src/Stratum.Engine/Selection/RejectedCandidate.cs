// RejectedCandidate: a candidate of RFC 5905 §11.2 that is not a survivor, with the reason (ntpd's tally).
namespace Stratum.Engine.Selection;

/// <summary>A candidate that did not survive, and why.</summary>
public readonly record struct RejectedCandidate(int Id, RejectionReason Reason);

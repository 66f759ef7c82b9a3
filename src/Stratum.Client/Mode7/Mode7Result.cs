// Mode7Result: a reassembled mode 7 response (items of one size), or why there is none, with
// ntpdc 4.2.8's wording for each failure (ntpdc.c doquery and its INFO_ERR_* messages).
using Stratum.Core.Mode7;

namespace Stratum.Client.Mode7;

/// <summary>How a mode 7 query ended.</summary>
public enum Mode7Outcome
{
    Success = 0,
    /// <summary>Nothing came back in time ("***Request timed out").</summary>
    Timeout,
    /// <summary>Some fragments arrived, not all.</summary>
    Incomplete,
    /// <summary>The server answered with an INFO_ERR_* code.</summary>
    ServerError,
    /// <summary>Fragments disagree (item size, duplicates beyond the limit).</summary>
    Inconsistent,
    /// <summary>The request could not be sent.</summary>
    Transport,
}

/// <summary>Items of a response, or the failure.</summary>
public sealed record Mode7Result(Mode7Outcome Outcome, int ItemCount, int ItemSize, byte[] Data,
    Mode7ErrorCode ServerError = Mode7ErrorCode.None, string? TransportMessage = null)
{
    public bool IsSuccess => Outcome == Mode7Outcome.Success;

    public static Mode7Result Failed(Mode7Outcome outcome, Mode7ErrorCode serverError = Mode7ErrorCode.None, string? transportMessage = null) =>
        new(outcome, 0, 0, [], serverError, transportMessage);

    /// <summary>The item at <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Item(int index) => Data.AsSpan(index * ItemSize, ItemSize);

    /// <summary>ntpdc's line for a failure (without newline).</summary>
    public string Message => Outcome switch
    {
        Mode7Outcome.Success => string.Empty,
        Mode7Outcome.Timeout => "***Request timed out",
        Mode7Outcome.Incomplete => "***Response from server was incomplete",
        Mode7Outcome.Inconsistent => "***Server returned inconsistent fragments",
        Mode7Outcome.Transport => "***" + (TransportMessage ?? "send failed"),
        _ => ServerError switch
        {
            Mode7ErrorCode.Implementation => "***Server implementation incompatible with our own",
            Mode7ErrorCode.Request => "***Server doesn't implement this request",
            Mode7ErrorCode.Format => "***Server reports a format error in the received packet (shouldn't happen)",
            Mode7ErrorCode.NoData => "***Server reports data not found",
            Mode7ErrorCode.Authentication => "***Permission denied",
            _ => $"***Server returns unknown error code {(int)ServerError}",
        },
    };
}

// Mode6Result: a reassembled mode 6 response, or why there is none. Message gives ntpq 4.2.8's
// wording for each failure ("***Request timed out", "***Association ID 5 unknown to server"),
// from ntpq.c doquery's switch over the error codes.
using System.Globalization;
using Stratum.Core.Mode6;

namespace Stratum.Client.Mode6;

/// <summary>Status word and data of a response; <see cref="Error"/> says whether there is one.</summary>
public sealed record Mode6Result(Mode6Error Error, ushort Status, byte[] Data, ControlErrorCode ServerError = ControlErrorCode.Unspecified,
    string? TransportMessage = null)
{
    public bool IsSuccess => Error == Mode6Error.None;

    public static Mode6Result Failed(Mode6Error error, ControlErrorCode serverError = ControlErrorCode.Unspecified, string? transportMessage = null) =>
        new(error, 0, [], serverError, transportMessage);

    /// <summary>ntpq's line for a failure (without the newline); empty on success.</summary>
    public string Message(ushort associationId) => Error switch
    {
        Mode6Error.None => string.Empty,
        Mode6Error.Timeout => "***Request timed out",
        Mode6Error.Incomplete => "***Response from server was incomplete",
        Mode6Error.TooMuchData => "***Buffer size exceeded for returned data",
        Mode6Error.Transport => "***" + (TransportMessage ?? "send failed"),
        Mode6Error.NoKey => "Keyid must be defined",
        _ => ServerError switch
        {
            ControlErrorCode.Unspecified => "***Server reports unspecified error",
            ControlErrorCode.Permission => "***Server disallowed request (authentication?)",
            ControlErrorCode.BadFormat => "***Server reports bad format request packet",
            ControlErrorCode.BadOpcode => "***Server reports bad opcode in request",
            ControlErrorCode.BadAssociation => string.Create(CultureInfo.InvariantCulture, $"***Association ID {associationId} unknown to server"),
            ControlErrorCode.UnknownVariable => "***A request variable unknown to the server",
            ControlErrorCode.BadValue => "***Server indicates a request variable was bad",
            _ => string.Create(CultureInfo.InvariantCulture, $"***Server returns unknown error code {(int)ServerError}"),
        },
    };
}

// HostResolution: the result of resolving one server argument, shaped like getaddrinfo's so ntpdate
// can print its classic "Error resolving NAME: Name or service not known (-2)". ErrorCode is the
// glibc EAI_* value (negative) or 0; the constants name the ones ntpdate treats specially.
using System.Net;

namespace Stratum.Tools.Ntpdate;

/// <summary>Addresses for a name, or a getaddrinfo-style error code and text.</summary>
internal sealed record HostResolution(IReadOnlyList<IPAddress> Addresses, int ErrorCode, string ErrorText)
{
    /// <summary>EAI_NONAME: the name does not exist.</summary>
    public const int NameNotKnown = -2;

    /// <summary>EAI_AGAIN: the name server did not answer; ntpdate gives up on all names.</summary>
    public const int TemporaryFailure = -3;

    /// <summary>EAI_FAIL: the name server failed; ntpdate gives up on all names.</summary>
    public const int NonRecoverableFailure = -4;

    /// <summary>EAI_NODATA: the name exists but has no address of the requested family.</summary>
    public const int NoAddress = -5;

    /// <summary>EAI_ADDRFAMILY: an address literal of the other family (-4 with "::1").</summary>
    public const int AddressFamilyMismatch = -9;

    public static HostResolution Found(IReadOnlyList<IPAddress> addresses) => new(addresses, 0, string.Empty);

    public static HostResolution Failed(int errorCode, string errorText) => new([], errorCode, errorText);

    public bool Succeeded => ErrorCode == 0;

    /// <summary>True for the errors after which ntpdate stops resolving (the name server is unusable).</summary>
    public bool NameServerUnusable => ErrorCode is TemporaryFailure or NonRecoverableFailure;
}

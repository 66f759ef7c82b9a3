// FilterResult: one server's output from SampleFilter, the input to server selection: the chosen
// sample's offset and budgeted delay and the dispersion of the others around it (RFC 5905 §10
// theta, delta, epsilon in ntpdate's reduced form).
using Stratum.Core.Time;

namespace Stratum.Client.Sntp;

/// <summary>A server's filtered offset, delay and dispersion (seconds); HasData false when every slot is empty.</summary>
public readonly record struct FilterResult(bool HasData, NtpDuration Offset, NtpDuration Delay, double Dispersion)
{
    /// <summary>No usable sample: zero offset and delay, maximum dispersion.</summary>
    public static FilterResult Empty => new(false, NtpDuration.Zero, NtpDuration.Zero, SampleFilter.MaxDispersionSeconds);
}

// KernelLoopState: the kernel clock discipline's variables as a read-only adjtimex (modes = 0)
// returns them, in the units of struct timex, for the k* system variables of mode 6 (ntpq kerninfo,
// ntpdc's kerninfo through its mode 6 fallback). ntpd reports them whenever the kernel has the NTP
// discipline, whether or not ntpd itself uses it (`disable kernel`, `disable ntp`); so does Stratum.
// The host reads them (ControlHostState.ReadKernelLoop); a simulated or virtual clock has none, and
// the variables then read zero as in an ntpd built without the kernel discipline.
namespace Stratum.Engine.Control;

/// <summary>struct timex fields, unconverted: offset in µs (ns with STA_NANO), frequencies in ppm
/// scaled by 2^16, errors and precision in µs, jitter in µs (ns with STA_NANO).</summary>
public readonly record struct KernelLoopState(
    long Offset,
    long Frequency,
    long MaxError,
    long EstimatedError,
    int Status,
    long TimeConstant,
    long Precision,
    long Tolerance,
    long PpsFrequency,
    long PpsJitter,
    int PpsShift,
    long PpsStability,
    long PpsJitterCount,
    long PpsCalibrationCount,
    long PpsErrorCount,
    long PpsStabilityCount)
{
    /// <summary>Scale of a timex frequency field (ppm × 2^16).</summary>
    public const double FrequencyScale = 65536.0;

    /// <summary>Seconds per unit of the offset and jitter fields (STA_NANO: ns, else µs).</summary>
    public double FineUnitSeconds => (Status & Stratum.Core.Mode6.KernelStatusText.Nano) != 0 ? 1e-9 : 1e-6;
}

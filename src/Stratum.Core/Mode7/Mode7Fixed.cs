// Mode7Fixed: the fixed-point number formats of mode 7 items (ntpd ntp_fp.h): s_fp/u_fp are 16.16
// seconds (or scaled ppm), l_fp 32.32. ntpd converts with C casts (DTOFP truncates toward zero);
// ntpdc prints them with fptoa/ufptoa/lfptoa, i.e. rounded to N decimals. Shared by the daemon's
// mode 7 responder, ntpdc's printer and its mode 6 fallback, so both paths quantize alike.
using System.Globalization;

namespace Stratum.Core.Mode7;

/// <summary>Conversions between doubles and mode 7 fixed-point fields.</summary>
public static class Mode7Fixed
{
    private const double ShortScale = 65536.0;
    private const double LongScale = 4294967296.0;

    /// <summary>DTOFP: seconds to signed 16.16, truncated, saturated.</summary>
    public static int ToShort(double value) =>
        double.IsNaN(value) ? 0 : (int)Math.Clamp(Math.Truncate(value * ShortScale), int.MinValue, int.MaxValue);

    /// <summary>DTOUFP: to unsigned 16.16, truncated, saturated (negative becomes 0).</summary>
    public static uint ToUnsignedShort(double value) =>
        double.IsNaN(value) ? 0 : (uint)Math.Clamp(Math.Truncate(value * ShortScale), 0, uint.MaxValue);

    /// <summary>DTOLFP: to signed 32.32, truncated, saturated.</summary>
    public static long ToLong(double value) =>
        double.IsNaN(value) ? 0 : (long)Math.Clamp(Math.Truncate(value * LongScale), long.MinValue, long.MaxValue);

    public static double FromShort(int raw) => raw / ShortScale;

    public static double FromUnsignedShort(uint raw) => raw / ShortScale;

    public static double FromLong(long raw) => raw / LongScale;

    /// <summary>fptoa/ufptoa/lfptoa: the value rounded to <paramref name="decimals"/> places.</summary>
    public static string Format(double value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

// KernelInfoItem: struct info_kernel of ntpd 4.2.8's ntp_request.h, answering REQ_GET_KERNEL
// (ntpdc kerninfo): the kernel's ntp_adjtime() state, struct timex's fields cut to 32 bits as ntpd's
// get_kernel_info sends them. 60 octets (sizeof(struct info_kernel): fourteen int32 and two u_short,
// no padding; ntpd's ntpdc refuses any other item size): offset 0, freq 4 (ppm × 2^16, read as
// s_fp), maxerror 8 (µs), esterror 12 (µs), status 16, shift 18 (both 16-bit), constant 20,
// precision 24 (µs), tolerance 28 (ppm × 2^16), ppsfreq 32, jitter 36, stabil 40, jitcnt 44,
// calcnt 48, errcnt 52, stbcnt 56. Offset and jitter are ns when status has STA_NANO, else µs.
using System.Buffers.Binary;

namespace Stratum.Core.Mode7;

/// <summary>Kernel clock discipline state as mode 7 carries it.</summary>
public sealed record KernelInfoItem(
    int Offset, int Frequency, int MaxError, int EstimatedError, ushort Status, ushort Shift, int Constant,
    int Precision, int Tolerance, int PpsFrequency, int Jitter, int Stability, int JitterCount, int CalibrationCount,
    int ErrorCount, int StabilityCount)
{
    public const int Size = 60;

    /// <summary>STA_NANO: offset and jitter are in nanoseconds.</summary>
    public const ushort StatusNano = 0x2000;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteInt32BigEndian(destination, Offset);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], Frequency);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], MaxError);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], EstimatedError);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], Status);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], Shift);
        int[] rest = [Constant, Precision, Tolerance, PpsFrequency, Jitter, Stability, JitterCount, CalibrationCount, ErrorCount, StabilityCount];
        for (int i = 0; i < rest.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(destination[(20 + (4 * i))..], rest[i]);
        }
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out KernelInfoItem? item)
    {
        item = null;
        if (source.Length < Size)
        {
            return false;
        }

        var at = new int[14];
        for (int i = 0; i < at.Length; i++)
        {
            int offset = i < 4 ? 4 * i : 4 * (i + 1);
            at[i] = BinaryPrimitives.ReadInt32BigEndian(source[offset..]);
        }

        item = new KernelInfoItem(at[0], at[1], at[2], at[3], BinaryPrimitives.ReadUInt16BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[18..]), at[4], at[5], at[6], at[7], at[8], at[9], at[10], at[11], at[12], at[13]);
        return true;
    }
}

// NmeaRefclock: ntpd's NMEA reference clock driver (type 20, "GPS_NMEA(u)"; ntpd 4.2.8
// drivers/driver20.html): a GPS receiver on a serial line, /dev/gpsU, that sends NMEA 0183 sentences.
// The line is set to 8N1 at the speed `mode` selects (bits 4–6: 4800, 9600, 19200, 38400, 57600,
// 115200 b/s) in canonical mode, so the kernel hands over one sentence at a time once its end has
// arrived. A thread of its own waits for each sentence and reads the daemon's clock at once (the
// event loop, which looks at the driver only once a second, would stamp it up to a second late); the
// sentence's time (NmeaSentence: RMC, GGA or ZDA, as `mode` bits 0–3 select; all three when none)
// minus that stamp, plus `fudge time2` (the delay between the second and the sentence's end on the
// wire, which the user calibrates), is a reading. The first sentence that carries a given second is
// used; others for the same second are ignored. Readings wait under a lock for the loop's Read, once a
// second, and each poll reduces them to a sample (RefclockReadings). Leap bits: no warning while the
// receiver reports a valid fix, 3 until the first valid sentence. Nothing here changes the clock.
using Stratum.Core.Refclock;
using Stratum.Core.Wire;
using Stratum.Platform.Clock;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Refclock;

/// <summary>One NMEA GPS receiver on a serial line.</summary>
public sealed unsafe class NmeaRefclock : IReferenceClockDriver
{
    /// <summary>ntpd's NMEA precision: about 2 ms (2^-9 s), the jitter of a serial line's timing.</summary>
    public const sbyte DefaultPrecision = -9;

    private const int LineBufferSize = 256;
    private const int PollMilliseconds = 200;

    private readonly int _fd;
    private readonly IClockDriver _clock;
    private readonly NmeaSentenceKind _sentences;
    private readonly double _time2;
    private readonly RefclockReadings _readings = new();
    private readonly Lock _gate = new();
    private readonly double[] _pending = new double[16];
    private readonly Thread _reader;
    private int _pendingCount;
    private bool _validSeen;
    private volatile bool _stopping;
    private long _lastSecond = long.MinValue;

    private NmeaRefclock(int fd, byte unit, IClockDriver clock, NmeaSentenceKind sentences, double time2)
    {
        _fd = fd;
        Unit = unit;
        _clock = clock;
        _sentences = sentences;
        _time2 = time2;
        _reader = new Thread(ReadSentences) { IsBackground = true, Name = $"GPS_NMEA({unit})" };
        _reader.Start();
    }

    public byte Unit { get; }

    public LeapIndicator Leap { get; private set; } = LeapIndicator.Unsynchronized;

    public sbyte Precision => DefaultPrecision;

    /// <summary>Sentences read, those whose time was used, and those refused (bad checksum, no fix, not selected, malformed).</summary>
    public long Sentences { get; private set; }

    public long Readings { get; private set; }

    public long Refused { get; private set; }

    /// <summary>ntpd's device name for unit <paramref name="unit"/>: /dev/gpsU.</summary>
    public static string DevicePath(byte unit) => $"/dev/gps{unit}";

    /// <summary>The line speed `mode` bits 4–6 select (ntpd: 0 = 4800 … 5 = 115200 b/s), or 0 for a value with none.</summary>
    public static int LineSpeed(int mode) => ((mode >> 4) & 7) switch
    {
        0 => 4800,
        1 => 9600,
        2 => 19200,
        3 => 38400,
        4 => 57600,
        5 => 115200,
        _ => 0,
    };

    /// <summary>Opens <paramref name="device"/> at the speed and with the sentences <paramref name="mode"/> selects;
    /// null with the reason when it cannot be opened or set up.</summary>
    /// <param name="unit">The unit (for names in messages).</param>
    /// <param name="device">The serial device (ntpd: /dev/gpsU).</param>
    /// <param name="mode">`mode` of the server line (0 when absent).</param>
    /// <param name="time2">`fudge time2`: seconds from the second to the end of its sentence.</param>
    /// <param name="clock">The daemon's clock, read when each sentence arrives.</param>
    public static NmeaRefclock? Open(byte unit, string device, int mode, double time2, IClockDriver clock, out string? error)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(clock);
        int speed = LineSpeed(mode);
        if (speed == 0)
        {
            error = $"GPS_NMEA({unit}): mode {mode} selects no line speed (bits 4-6 must be 0-5)";
            return null;
        }

        int fd = FileCalls.Open(device, TerminalCalls.O_RDWR | TerminalCalls.O_NOCTTY | TerminalCalls.O_CLOEXEC, 0);
        if (fd < 0)
        {
            error = $"GPS_NMEA({unit}): cannot open {device}: {Libc.ErrorText(Libc.LastError)}";
            return null;
        }

        byte* termios = stackalloc byte[TerminalCalls.TermiosSize];
        if (TerminalCalls.GetAttributes(fd, termios) < 0)
        {
            error = $"GPS_NMEA({unit}): {device} is not a serial line: {Libc.ErrorText(Libc.LastError)}";
            _ = FileCalls.Close(fd);
            return null;
        }

        // 8N1, receiver on, no modem control, whole lines (canonical input), nothing else.
        *(uint*)(termios + TerminalCalls.InputFlagsOffset) = TerminalCalls.IGNPAR;
        *(uint*)(termios + TerminalCalls.OutputFlagsOffset) = 0;
        *(uint*)(termios + TerminalCalls.ControlFlagsOffset) = TerminalCalls.CS8 | TerminalCalls.CREAD | TerminalCalls.CLOCAL;
        *(uint*)(termios + TerminalCalls.LocalFlagsOffset) = TerminalCalls.ICANON;
        uint speedConstant = TerminalCalls.SpeedConstant(speed);
        if (TerminalCalls.SetInputSpeed(termios, speedConstant) < 0 || TerminalCalls.SetOutputSpeed(termios, speedConstant) < 0
            || TerminalCalls.SetAttributes(fd, TerminalCalls.TCSANOW, termios) < 0)
        {
            error = $"GPS_NMEA({unit}): cannot set {device} to {speed} b/s 8N1: {Libc.ErrorText(Libc.LastError)}";
            _ = FileCalls.Close(fd);
            return null;
        }

        error = null;
        return new NmeaRefclock(fd, unit, clock, (NmeaSentenceKind)(mode & 0xF), time2);
    }

    /// <summary>Moves the readings the reader thread took into this poll's set (loop thread, once a second).</summary>
    public void Read()
    {
        lock (_gate)
        {
            for (int i = 0; i < _pendingCount; i++)
            {
                _readings.Add(_pending[i]);
            }

            _pendingCount = 0;
            if (_validSeen)
            {
                Leap = LeapIndicator.NoWarning;
            }
        }
    }

    public bool TakeSample(out double offset, out double jitter) => _readings.TakeSample(out offset, out jitter);

    /// <summary>One sentence as the reader thread got it at <paramref name="receivedUnixNanoseconds"/> (tests call it directly).</summary>
    internal void OnSentence(ReadOnlySpan<byte> line, long receivedUnixNanoseconds)
    {
        Sentences++;
        double received = receivedUnixNanoseconds / 1e9;
        if (!NmeaSentence.TryParse(line, _sentences, out NmeaTime time))
        {
            Refused++;
            return;
        }

        double gps = time.ToUnixSeconds(received);
        long second = (long)Math.Floor(gps);
        if (second == _lastSecond)
        {
            return;
        }

        _lastSecond = second;
        Readings++;
        double reading = gps - (received - _time2);
        lock (_gate)
        {
            _validSeen = true;
            if (_pendingCount < _pending.Length)
            {
                _pending[_pendingCount++] = reading;
            }
        }
    }

    private void ReadSentences()
    {
        byte* line = stackalloc byte[LineBufferSize];
        var descriptor = new PollDescriptor { Fd = _fd, Events = Libc.POLLIN };
        while (!_stopping)
        {
            descriptor.ReturnedEvents = 0;
            int ready = PollCall.Poll(&descriptor, 1, PollMilliseconds);
            if (ready <= 0)
            {
                continue;
            }

            long received = _clock.ReadRealtimeNanoseconds();
            nint length = TerminalCalls.Read(_fd, line, LineBufferSize);
            if (length <= 0)
            {
                // A hung-up line (the receiver unplugged, a pty's writer gone): wait and look again.
                Thread.Sleep(PollMilliseconds);
                continue;
            }

            OnSentence(new ReadOnlySpan<byte>(line, (int)length), received);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _reader.Join(TimeSpan.FromSeconds(2));
        _ = FileCalls.Close(_fd);
    }

    /// <summary>For log lines: what the driver was set up with.</summary>
    public override string ToString() => $"GPS_NMEA({Unit})";
}

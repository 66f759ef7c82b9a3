// ntpq against a hostile mode 6 server (an in-memory transport answering each request with crafted
// text): values carrying ESC [ 2 J (clear screen), an OSC title sequence, BEL, CR, tab, newline, DEL
// and C1 octets come out escaped as "\x1b" and so on in rv, cv, peers (the refid column), raw output,
// mrulist's raw answers, a bad nonce answer and the :config reply, so nothing the server sends reaches
// the terminal as a control character. Whole outputs are compared, and no output holds any C0 (but
// the newlines and the progress line's carriage return ntpq itself prints), DEL or C1 character.
using System.Buffers.Binary;
using System.Net;
using System.Text;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Mode6;
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class HostileServerGoldenTests
{
    private const uint NowSeconds = 0xE9000000;

    private static readonly IPEndPoint s_server = new(IPAddress.Loopback, 123);

    /// <summary>ESC [ 2 J: erase the screen.</summary>
    private const string Clear = "\u001b[2J";

    /// <summary>What the server answers per opcode and association (the request's text given too).</summary>
    private static byte[] Answer(ControlOpcode opcode, ushort associationId, string request) => Encoding.Latin1.GetBytes(opcode switch
    {
        ControlOpcode.ReadVariables when associationId == 0 =>
            $"version=\"ntpd {Clear}\a\", system=\"Linux\roverwritten\", stratum=2,\r\nrefid={Clear}\u001b]0;title\a, tab=\"a\tb\nc\", del=x\u007fy, c1=\u009b31m",
        ControlOpcode.ReadVariables =>
            $"srcadr=192.0.2.1, dstadr=192.0.2.99, stratum=2, refid={Clear}, reach=0xff, hmode=3, hpoll=6, ppoll=6, rec=0x{NowSeconds - 10:x8}.00000000, offset=0.5, delay=1.0, jitter=0.1",
        ControlOpcode.ReadClock => $"device=\"GPS{Clear}\", timecode=\"\r\a\"",
        ControlOpcode.RequestNonce => request == "bad" ? $"bogus{Clear}" : "nonce=0123456789abcdef01234567",
        ControlOpcode.ReadMru when request.Contains("mincount=7", StringComparison.Ordinal) => $"nonce=0123456789abcdef01234567, last.older={Clear}",
        ControlOpcode.ReadMru =>
            $"nonce=0123456789abcdef01234567, evil=\"{Clear}\a\", addr.0=192.0.2.5:123, last.0=0x{NowSeconds:x8}.00000000, first.0=0x{NowSeconds - 100:x8}.00000000, ct.0=3, mv.0=35, rs.0=0x0, now=0x{NowSeconds + 1:x8}.00000000, last.newest=0x{NowSeconds:x8}.00000000",
        _ => string.Empty,
    });

    /// <summary>The server: each request answered at once with one fragment; a receive with nothing
    /// queued advances time to the timeout instead of waiting.</summary>
    private sealed class HostileTransport(string nonceMode) : INtpTransport
    {
        private readonly Queue<byte[]> _pending = new();

        public long Mono { get; private set; }

        public TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
        {
            Assert.True(ControlMessage.TryRead(datagram, out ControlHeader request, out ReadOnlySpan<byte> data, out _, out _));
            byte[] answer = request.Opcode == ControlOpcode.ReadStatus
                ? [0, 1, 0x96, 0x14] // association 1, status 9614
                : request.Opcode == ControlOpcode.Configure
                    ? Encoding.Latin1.GetBytes($"Config{Clear} done\a\r\n")
                    : Answer(request.Opcode, request.AssociationId, request.Opcode == ControlOpcode.RequestNonce ? nonceMode : Encoding.ASCII.GetString(data));
            var header = new ControlHeader(request.Version, true, false, false, request.Opcode, request.Sequence,
                (ushort)(request.Opcode == ControlOpcode.ReadClock ? 0x0000 : 0x0615), request.AssociationId, 0, (ushort)answer.Length);
            var reply = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(answer.Length)];
            ControlMessage.Write(header, answer, reply);
            _pending.Enqueue(reply);
            return TransportError.None;
        }

        public bool TryReceive(Span<byte> buffer, long timeoutNanoseconds, out ReceivedDatagram datagram)
        {
            if (!_pending.TryDequeue(out byte[]? bytes))
            {
                Mono += timeoutNanoseconds;
                datagram = default;
                return false;
            }

            bytes.CopyTo(buffer);
            Mono += 1_000_000;
            datagram = new ReceivedDatagram(bytes.Length, s_server, 0);
            return true;
        }

        public void Dispose()
        {
        }
    }

    private static (string Stdout, string Stderr) Ntpq(string nonceMode, params string[] commands)
    {
        var arguments = new List<string> { "-n" };
        foreach (string command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        arguments.Add("127.0.0.1");
        var transport = new HostileTransport(nonceMode);
        var clock = new SntpClock(() => (NowSeconds - 2_208_988_800L) * 1_000_000_000, () => transport.Mono);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        NtpqEnvironment environment = NtpqEnvironment.Default with
        {
            Port = 123,
            Zone = TimeZoneInfo.Utc,
            Clock = clock,
            OpenTransport = (_, _) => TransportOpenResult.Opened(transport),
            Input = TextReader.Null,
            ReadSecret = _ => "secret",
        };
        int exit = NtpqCli.Run([.. arguments], stdout, stderr, environment);
        Assert.Equal(0, exit);
        AssertNoControlCharacters(stdout.ToString());
        // ntpq's own progress line starts with a carriage return; nothing else may.
        AssertNoControlCharacters(stderr.ToString().Replace("\rRetrieved ", "Retrieved ", StringComparison.Ordinal));
        return (stdout.ToString(), stderr.ToString());
    }

    private static void AssertNoControlCharacters(string text)
    {
        foreach (char c in text)
        {
            Assert.False(c != '\n' && Stratum.Client.Display.TerminalText.IsControl(c), $"control character U+{(int)c:X4} in: {text}");
        }
    }

    [Fact]
    public void ReadVariables_EscapesClearScreenBellCarriageReturnTabNewlineDelAndC1() => Assert.Equal(
        "associd=0 status=0615 leap_none, sync_ntp, 1 event, clock_sync,\n"
        + "version=\"ntpd \\x1b[2J\\x07\", system=\"Linux\\x0doverwritten\", stratum=2,\n"
        + "refid=\\x1b[2J\\x1b]0;title\\x07, tab=\"a\\x09b\\x0ac\", del=x\\x7fy, c1=\\x9b31m\n",
        Ntpq("good", "rv").Stdout);

    [Fact]
    public void ClockVariables_Escaped() => Assert.Equal(
        "associd=0 status=0000 clk_unspec, last_clk_unspec,\n"
        + "device=\"GPS\\x1b[2J\", timecode=\"\\x0d\\x07\"\n",
        Ntpq("good", "cv").Stdout);

    [Fact]
    public void Peers_RefidWithEscapeSequence_Escaped() => Assert.Equal(
        PeersTable.Header
        + "*192.0.2.1       .\\x1b[2J.        2 u   10   64  377    1.000    0.500   0.100\n",
        Ntpq("good", "peers").Stdout);

    [Fact]
    public void RawOutput_EscapedButLineBreaksKept() => Assert.Equal(
        "Output set to raw\n"
        + "associd=0 status=0x0615,\n"
        + "version=\"ntpd \\x1b[2J\\x07\", system=\"Linux\\x0doverwritten\", stratum=2,\n"
        + "refid=\\x1b[2J\\x1b]0;title\\x07, tab=\"a\\x09b\nc\", del=x\\x7fy, c1=\\x9b31m\n",
        Ntpq("good", "raw", "rv").Stdout);

    [Fact]
    public void MruList_GarbledAnswer_DiagnosticEscaped()
    {
        (_, string stderr) = Ntpq("good", "mrulist mincount=7");
        Assert.Contains("last.older \\x1b[2J garbled", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MruListRaw_AnswersEscaped()
    {
        (string stdout, _) = Ntpq("good", "raw", "mrulist");
        Assert.Contains("evil=\"\\x1b[2J\\x07\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void MruList_RowsPrinted()
    {
        (string stdout, string stderr) = Ntpq("good", "mrulist");
        Assert.Equal(MruListTable.Header + "     1     33    0 . 3 4      3   123 192.0.2.5\n", stdout);
        Assert.EndsWith("Retrieved 1 unique MRU entries and 0 updates.\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MruList_BadNonceAnswer_Escaped()
    {
        (_, string stderr) = Ntpq("bad", "mrulist");
        Assert.Equal("Ctrl-C will stop MRU retrieval and display partial results.\n"
            + "unexpected nonce response format: bogus\\x1b[2J\n", stderr);
    }

    [Fact]
    public void ConfigReply_Escaped()
    {
        (string stdout, _) = Ntpq("good", "keyid 1", ":config tos maxclock 5");
        Assert.Contains("Config\\x1b[2J done\\x07", stdout, StringComparison.Ordinal);
    }
}

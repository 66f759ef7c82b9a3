// REQ_NONCE and READ_MRU over a real engine whose MRU list the test fills through access control:
// the nonce (bound to address and port, accepted for less than 16 s, surviving a key change), ntpd's
// fields and formats, paging with frags=/limit= and last.N/addr.N continuation (including a
// moved prior and limit=1), the filters, `nomrulist`, CERR_BADVALUE, and malformed or unproven
// requests that get no answer at all.
using System.Text;
using System.Text.RegularExpressions;
using Stratum.Core.Config;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Engine.Access;
using Stratum.Engine.Control;
using Stratum.Engine.Tests.Access;

namespace Stratum.Engine.Tests.Control;

public partial class MruListControlTests
{
    private static readonly ClientAddress s_querier = AccessTestConfig.Address("127.0.0.1", 50123);

    private readonly EngineTestClock _clock = new();
    private readonly NtpEngine _engine;
    private ushort _sequence;

    public MruListControlTests()
    {
        _engine = new NtpEngine(new EngineConfiguration([], [], DisciplineEnabled: false,
            Access: AccessTestConfig.Settings("restrict default kod limited nopeer\nrestrict 127.0.0.1\nrestrict 198.51.100.0 mask 255.255.255.0 noquery\n")),
            -24, new SeededRandom(42));
    }

    [GeneratedRegex(@"\Anonce=([0-9a-f]{24})\z")]
    private static partial Regex NonceAnswer();

    [GeneratedRegex(@"addr\.\d+=([^,\s]+)")]
    private static partial Regex AddressTag();

    private AccessControl Access => _engine.Server.Access!;

    /// <summary>A time request (mode 3, version 4) from <paramref name="client"/>, recorded as the server path records it.</summary>
    private void TimeRequest(ClientAddress client, byte versionMode = 0x23)
    {
        RestrictFlags flags = Access.Match(client).Flags;
        Access.AdmitTimeRequest(client, flags, versionMode, _clock.Now.Mono, _clock.Now.Real);
    }

    /// <summary>A mode 6 request from <paramref name="client"/>, recorded in the MRU list first as the host's query gate does.</summary>
    private IReadOnlyList<byte[]> Send(ControlOpcode opcode, string data, ClientAddress client, RestrictFlags flags = RestrictFlags.None)
    {
        byte[] payload = Encoding.ASCII.GetBytes(data);
        var request = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(payload.Length)];
        ControlMessage.Write(ControlHeader.Request(opcode, ++_sequence, 0, (ushort)payload.Length), payload, request);
        Access.AdmitQuery(client, Access.Match(client).Flags, request[0], _clock.Now.Mono, _clock.Now.Real);
        return [.. _engine.Control.Respond(request, _clock.Now, client, flags)];
    }

    private string Nonce(ClientAddress client)
    {
        byte[] reply = Assert.Single(Send(ControlOpcode.RequestNonce, string.Empty, client));
        Assert.True(ControlMessage.TryRead(reply, out ControlHeader header, out ReadOnlySpan<byte> data, out _, out _));
        Assert.False(header.IsError);
        Match match = NonceAnswer().Match(Encoding.ASCII.GetString(data));
        Assert.True(match.Success, Encoding.ASCII.GetString(data));
        return match.Groups[1].Value;
    }

    /// <summary>READ_MRU; the reassembled text, or null for no answer; error code for an error answer.</summary>
    private (string? Text, ControlErrorCode? Error, int Fragments) ReadMru(string data, ClientAddress client, RestrictFlags flags = RestrictFlags.None)
    {
        IReadOnlyList<byte[]> fragments = Send(ControlOpcode.ReadMru, data, client, flags);
        if (fragments.Count == 0)
        {
            return (null, null, 0);
        }

        var text = new StringBuilder();
        for (int i = 0; i < fragments.Count; i++)
        {
            Assert.True(fragments[i].Length <= ControlMessage.HeaderSize + ControlMessage.MaxDataLength);
            Assert.True(ControlMessage.TryRead(fragments[i], out ControlHeader header, out ReadOnlySpan<byte> body, out _, out _));
            if (header.IsError)
            {
                return (null, header.ErrorCode, fragments.Count);
            }

            Assert.Equal(text.Length, header.Offset);
            Assert.Equal(i < fragments.Count - 1, header.HasMore);
            Assert.Equal(ControlOpcode.ReadMru, header.Opcode);
            text.Append(Encoding.ASCII.GetString(body));
        }

        return (text.ToString(), null, fragments.Count);
    }

    private static string Hex(NtpTimestamp timestamp) => $"0x{timestamp.Seconds:x8}.{timestamp.Fraction:x8}";

    private static string Unwrapped(string text) => text.Replace(",\r\n", ", ", StringComparison.Ordinal);

    [Fact]
    public void RequestNonce_AnswersTwentyFourHexDigitsWithStatusZero()
    {
        byte[] reply = Assert.Single(Send(ControlOpcode.RequestNonce, string.Empty, s_querier));
        Assert.True(ControlMessage.TryRead(reply, out ControlHeader header, out ReadOnlySpan<byte> data, out _, out _));
        Assert.True(header.IsResponse);
        Assert.Equal(0, header.Status);
        Assert.Matches(NonceAnswer(), Encoding.ASCII.GetString(data));
    }

    [Fact]
    public void ReadMru_ValidNonce_ListsEntriesOldestFirstInNtpdFormats()
    {
        ClientAddress first = AccessTestConfig.Address("192.0.2.1", 40001);
        ClientAddress second = AccessTestConfig.Address("2001:db8::7", 40002);
        NtpTimestamp firstSeen = _clock.Now.Real;
        TimeRequest(first);
        _clock.Advance(2);
        NtpTimestamp secondSeen = _clock.Now.Real;
        TimeRequest(second, 0x1B);
        TimeRequest(first);
        NtpTimestamp firstLast = _clock.Now.Real;
        _clock.Advance(1);
        string nonce = Nonce(s_querier);

        (string? text, ControlErrorCode? error, _) = ReadMru($"nonce={nonce}, frags=32", s_querier);

        Assert.Null(error);
        Assert.NotNull(text);
        string[] items = Unwrapped(text).Split(", ");
        Assert.Matches(@"\Anonce=[0-9a-f]{24}\z", items[0]);
        NtpTimestamp now = _clock.Now.Real;
        Assert.Equal(
            [
                $"addr.0=[2001:db8::7]:40002", $"last.0={Hex(secondSeen)}", $"first.0={Hex(secondSeen)}", "ct.0=1", "mv.0=27", "rs.0=0x430",
                $"addr.1=192.0.2.1:40001", $"last.1={Hex(firstLast)}", $"first.1={Hex(firstSeen)}", "ct.1=2", "mv.1=35", "rs.1=0x430",
                $"addr.2=127.0.0.1:50123", $"last.2={Hex(now)}", $"first.2={Hex(now)}", "ct.2=2", "mv.2=22", "rs.2=0x0",
                $"now={Hex(now)}", $"last.newest={Hex(now)}",
            ],
            items[1..]);
    }

    [Fact]
    public void ReadMru_NonceOfAnotherAddressOrPort_GetsNoAnswer()
    {
        string nonce = Nonce(s_querier);

        Assert.Equal(0, ReadMru($"nonce={nonce}, frags=32", AccessTestConfig.Address("127.0.0.2", 50123)).Fragments);
        Assert.Equal(0, ReadMru($"nonce={nonce}, frags=32", s_querier.WithPort(50124)).Fragments);
        Assert.Equal(2, _engine.Control.MruNonceRejected);
        Assert.NotNull(ReadMru($"nonce={nonce}, frags=32", s_querier).Text);
    }

    [Fact]
    public void ReadMru_NonceExpiresAfterSixteenSeconds()
    {
        string nonce = Nonce(s_querier);
        _clock.Advance(15.9);
        Assert.NotNull(ReadMru($"nonce={nonce}, frags=32", s_querier).Text);

        string later = Nonce(s_querier);
        _clock.Advance(16);
        Assert.Equal(0, ReadMru($"nonce={later}, frags=32", s_querier).Fragments);
    }

    [Fact]
    public void ReadMru_NonceSurvivesTheHourlyKeyChange()
    {
        Nonce(s_querier);
        _clock.Advance(3595);
        string beforeChange = Nonce(s_querier);
        _clock.Advance(10);
        string afterChange = Nonce(s_querier);

        Assert.NotNull(ReadMru($"nonce={beforeChange}, frags=32", s_querier).Text);
        Assert.NotNull(ReadMru($"nonce={afterChange}, frags=32", s_querier).Text);
    }

    [Theory]
    [InlineData("frags=32")]
    [InlineData("nonce=, frags=32")]
    [InlineData("nonce=00000000000000000000zzzz, frags=32")]
    [InlineData("nonce=0123, frags=32")]
    [InlineData("NONCE, frags=32, mincount=x")]
    public void ReadMru_MissingOrForgedNonce_GetsNoAnswer(string data)
    {
        Assert.Equal(0, ReadMru(data, s_querier).Fragments);
        Assert.Equal(1, _engine.Control.MruNonceRejected);
    }

    [Theory]
    [InlineData("frags=x")]
    [InlineData("frags=70000")]
    [InlineData("limit=-1")]
    [InlineData("mincount=1e3")]
    [InlineData("resall=400")]
    [InlineData("resany=0x12345")]
    [InlineData("maxlstint=")]
    [InlineData("laddr=not-an-address")]
    [InlineData("last.0=0x1234.5678")]
    [InlineData("addr.3=300.1.1.1")]
    public void ReadMru_MalformedParameter_GetsNoAnswerEvenWithAValidNonce(string parameter)
    {
        string nonce = Nonce(s_querier);

        Assert.Equal(0, ReadMru($"nonce={nonce}, frags=32, {parameter}", s_querier).Fragments);
        Assert.Equal(1, _engine.Control.MruNonceRejected);
    }

    [Theory]
    [InlineData("")]
    [InlineData(", frags=129")]
    [InlineData(", limit=257")]
    [InlineData(", limit=0")]
    public void ReadMru_WithoutAValidFragsOrLimit_IsBadValue(string size)
    {
        string nonce = Nonce(s_querier);

        Assert.Equal(ControlErrorCode.BadValue, ReadMru($"nonce={nonce}{size}", s_querier).Error);
    }

    [Fact]
    public void ReadMru_NoMruListRestriction_IsRefusedWithPermissionError()
    {
        string nonce = Nonce(s_querier);

        Assert.Equal(ControlErrorCode.Permission, ReadMru($"nonce={nonce}, frags=32", s_querier, RestrictFlags.NoMruList).Error);
        Assert.Equal(1, _engine.Control.MruRestricted);
    }

    [Fact]
    public void ReadMru_EmptyList_AnswersNonceAndNowOnly()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], DisciplineEnabled: false), -24);
        var request = new byte[ControlMessage.HeaderSize];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.RequestNonce, 1, 0, 0), [], request);
        string nonce = Encoding.ASCII.GetString(engine.Control.Respond(request, _clock.Now, s_querier, RestrictFlags.None)[0].AsSpan(ControlMessage.HeaderSize, 30));
        byte[] payload = Encoding.ASCII.GetBytes(nonce + ", frags=4");
        var read = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(payload.Length)];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadMru, 2, 0, (ushort)payload.Length), payload, read);

        byte[] reply = Assert.Single(engine.Control.Respond(read, _clock.Now, s_querier, RestrictFlags.None));

        Assert.True(ControlMessage.TryRead(reply, out _, out ReadOnlySpan<byte> data, out _, out _));
        Assert.Matches($@"\Anonce=[0-9a-f]{{24}}, now={Regex.Escape(Hex(_clock.Now.Real))}\z", Encoding.ASCII.GetString(data));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(1, true)]
    public void ReadMru_PagedWithContinuation_ReturnsEveryEntryOnceWithinTheFragmentLimit(int frags, bool ipv6)
    {
        var expected = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            ClientAddress client = ipv6
                ? AccessTestConfig.Address($"2001:db8:ffff:ffff:ffff:ffff:ffff:{i + 1:x4}", 65000 + i)
                : AccessTestConfig.Address($"192.0.2.{i + 1}", 40000 + i);
            TimeRequest(client);
            expected.Add(client.ToString());
            _clock.Advance(0.25);
        }

        var received = new List<(string Address, string Last)>();
        for (int page = 0; page < 100; page++)
        {
            var request = new StringBuilder($"nonce={Nonce(s_querier)}, frags={frags}");
            for (int i = 0; i < Math.Min(3, received.Count); i++)
            {
                (string address, string last) = received[received.Count - 1 - i];
                request.Append($", addr.{i}={address}, last.{i}={last}");
            }

            (string? text, ControlErrorCode? error, int fragments) = ReadMru(request.ToString(), s_querier);
            Assert.Null(error);
            Assert.InRange(fragments, 1, frags);
            Dictionary<string, string> items = Unwrapped(text!).Split(", ").Select(item => item.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            if (received.Count > 0)
            {
                Assert.Equal(received[^1].Address, items["addr.older"]);
                Assert.Equal(received[^1].Last, items["last.older"]);
            }

            for (int i = 0; items.ContainsKey($"addr.{i}"); i++)
            {
                received.Add((items[$"addr.{i}"], items[$"last.{i}"]));
            }

            if (items.ContainsKey("now"))
            {
                break;
            }
        }

        expected.Add(s_querier.ToString());
        Assert.Equal(expected, received.Select(r => r.Address));
    }

    [Fact]
    public void ReadMru_AllPriorsMoved_IsUnknownVariable_AnOlderPriorStillCounts()
    {
        ClientAddress a = AccessTestConfig.Address("192.0.2.1");
        ClientAddress b = AccessTestConfig.Address("192.0.2.2");
        ClientAddress c = AccessTestConfig.Address("192.0.2.3");
        TimeRequest(a);
        NtpTimestamp aLast = _clock.Now.Real;
        _clock.Advance(1);
        TimeRequest(b);
        NtpTimestamp bLast = _clock.Now.Real;
        _clock.Advance(1);
        TimeRequest(c);
        _clock.Advance(1);
        TimeRequest(b);

        Assert.Equal(ControlErrorCode.UnknownVariable, ReadMru($"nonce={Nonce(s_querier)}, frags=8, addr.0={b}, last.0={Hex(bLast)}", s_querier).Error);

        (string? text, _, _) = ReadMru($"nonce={Nonce(s_querier)}, frags=8, addr.0={b}, last.0={Hex(bLast)}, addr.1={a}, last.1={Hex(aLast)}", s_querier);
        Assert.StartsWith($"last.older={Hex(aLast)}, addr.older={a}, nonce=", Unwrapped(text!), StringComparison.Ordinal);
        Assert.Equal(["192.0.2.3:40000", "192.0.2.2:40000", "127.0.0.1:50123"], AddressTag().Matches(text!).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void ReadMru_LimitOneWithPrior_ReturnsThatEntryItself()
    {
        ClientAddress a = AccessTestConfig.Address("192.0.2.1");
        TimeRequest(a);
        NtpTimestamp aLast = _clock.Now.Real;
        _clock.Advance(1);
        TimeRequest(AccessTestConfig.Address("192.0.2.2"));

        (string? text, _, _) = ReadMru($"nonce={Nonce(s_querier)}, limit=1, addr.0={a}, last.0={Hex(aLast)}", s_querier);

        Assert.Equal(["192.0.2.1:40000"], AddressTag().Matches(text!).Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("now=", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMru_HostileParameters_NeverThrowNorExceedTheirFragmentLimit()
    {
        for (int i = 0; i < 200; i++)
        {
            TimeRequest(AccessTestConfig.Address(i % 2 == 0 ? $"192.0.2.{i / 2}" : $"2001:db8::{i:x}", 1024 + i));
        }

        string[] names = ["nonce", "frags", "limit", "mincount", "resall", "resany", "maxlstint", "laddr", "last.0", "addr.0", "last.15", "addr.1", "last.16", "sort", ""];
        string[] values = ["", "0", "1", "3", "128", "129", "256", "4294967295", "99999999999999999999", "-1", "0x", "0x430", "0xffff", "0x1ffff",
            "0xeea80540.00000000", "0x00000000.00000000", "192.0.2.4:1032", "[2001:db8::5]:1029", "::1", "\"quoted, text\"", "=", "\r\n", "\0"];
        var random = new Random(5);
        for (int round = 0; round < 3000; round++)
        {
            var data = new StringBuilder($"nonce={Nonce(s_querier)}");
            int declaredFrags = 0;
            bool fragsGiven = false;
            for (int item = random.Next(6); item > 0; item--)
            {
                string name = names[random.Next(names.Length)];
                string value = random.Next(8) == 0 ? new string((char)random.Next(1, 128), random.Next(1, 40)) : values[random.Next(values.Length)];
                data.Append(random.Next(4) == 0 ? "," : ", ").Append(name).Append('=').Append(value);
                if (name == "frags" && int.TryParse(value, out int frags))
                {
                    declaredFrags = frags;
                    fragsGiven = true;
                }
            }

            (string? text, ControlErrorCode? error, int fragments) = ReadMru(data.ToString(), s_querier);

            if (text is not null && error is null)
            {
                Assert.InRange(fragments, 1, fragsGiven && declaredFrags > 0 ? Math.Min(declaredFrags, 128) : 128);
            }
        }
    }

    [Theory]
    [InlineData("mincount=3", new[] { "192.0.2.3:40000" })]
    [InlineData("resall=0x430", new[] { "192.0.2.1:40000", "192.0.2.3:40000" })]
    [InlineData("resany=0x40", new[] { "198.51.100.9:40000" })]
    [InlineData("resall=0x420, resany=0x40", new string[0])]
    [InlineData("maxlstint=5", new[] { "198.51.100.9:40000", "127.0.0.1:50123" })]
    [InlineData("mincount=-4, laddr=127.0.0.1", new[] { "192.0.2.1:40000", "192.0.2.3:40000", "198.51.100.9:40000", "127.0.0.1:50123" })]
    public void ReadMru_Filters_SelectAsNtpd(string filter, string[] addresses)
    {
        TimeRequest(AccessTestConfig.Address("192.0.2.1"));
        for (int i = 0; i < 3; i++)
        {
            TimeRequest(AccessTestConfig.Address("192.0.2.3"));
        }

        _clock.Advance(10);
        TimeRequest(AccessTestConfig.Address("198.51.100.9"));

        (string? text, _, _) = ReadMru($"nonce={Nonce(s_querier)}, frags=8, {filter}", s_querier);

        Assert.Equal(addresses, AddressTag().Matches(text!).Select(m => m.Groups[1].Value));
        Assert.Contains("now=", text, StringComparison.Ordinal);
    }
}

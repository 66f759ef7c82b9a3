// ControlNonce: the mrulist nonce carries no time (neither the monotonic reading nor its seconds nor
// the slot appear in it, and the same slot gives unrelated nonces under different keys or at uptimes
// far apart), is accepted for more than 15 s and refused from 16 s on whatever the phase within its
// second, is bound to the client's address and port, survives the hourly key change for its
// lifetime, and refuses forged or malformed text.
using System.Globalization;
using System.Text;
using Stratum.Core.Time;
using Stratum.Engine.Access;
using Stratum.Engine.Control;
using Stratum.Engine.Tests.Access;

namespace Stratum.Engine.Tests.Control;

public class ControlNonceTests
{
    private static readonly ClientAddress s_client = AccessTestConfig.Address("192.0.2.7", 50123);

    private static LoopTime At(long monoNanoseconds) => new(monoNanoseconds, NtpTimestamp.FromUnixNanoseconds(1_795_000_000L * 1_000_000_000));

    private static long Seconds(double seconds) => (long)(seconds * 1e9);

    private static bool Valid(ControlNonce nonces, string nonce, ClientAddress client, long mono) =>
        nonces.IsValid(Encoding.ASCII.GetBytes(nonce), client, At(mono));

    [Theory]
    [InlineData(5.0)]
    [InlineData(123_456.789)]
    [InlineData(86_400.0 * 400)]
    public void Issue_DoesNotCarryTheTime(double uptimeSeconds)
    {
        var nonces = new ControlNonce(new SeededRandom(7));
        long mono = Seconds(uptimeSeconds);
        string nonce = nonces.Issue(s_client, At(mono));

        Assert.Matches("^[0-9a-f]{24}$", nonce);
        long seconds = mono / 1_000_000_000;
        foreach (string clue in new[] { mono.ToString("x", CultureInfo.InvariantCulture), seconds.ToString("x", CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) })
        {
            if (clue.Length >= 4)
            {
                Assert.DoesNotContain(clue, nonce, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Issue_SameSlot_DifferentKeys_Unrelated_SameKeyFarApart_Unrelated()
    {
        long mono = Seconds(1000.5);
        string first = new ControlNonce(new SeededRandom(1)).Issue(s_client, At(mono));
        string second = new ControlNonce(new SeededRandom(2)).Issue(s_client, At(mono));
        // No more digits in common than chance gives (1.5 of 24 expected): nothing in it is the time in clear.
        Assert.True(CommonPositions(first, second) <= 4, $"{first} vs {second}");

        var nonces = new ControlNonce(new SeededRandom(1));
        string now = nonces.Issue(s_client, At(mono));
        Assert.Equal(first, now);
        Assert.Equal(now, nonces.Issue(s_client, At(mono + Seconds(0.4)))); // one nonce per client and second
        string later = nonces.Issue(s_client, At(mono + Seconds(256)));   // same low slot bits, same key
        Assert.True(CommonPositions(now, later) <= 4, $"{now} vs {later}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void IsValid_AcceptedFifteenSeconds_RefusedFromSixteen(double phase)
    {
        var nonces = new ControlNonce(new SeededRandom(3));
        long issued = Seconds(500 + phase);
        string nonce = nonces.Issue(s_client, At(issued));

        Assert.True(Valid(nonces, nonce, s_client, issued));
        Assert.True(Valid(nonces, nonce, s_client, issued + Seconds(7)));
        Assert.True(Valid(nonces, nonce, s_client, issued + Seconds(15)));
        Assert.False(Valid(nonces, nonce, s_client, issued + Seconds(16)));
        Assert.False(Valid(nonces, nonce, s_client, issued + Seconds(17)));
        Assert.False(Valid(nonces, nonce, s_client, issued + Seconds(256))); // same low slot bits, long expired
        Assert.False(Valid(nonces, nonce, s_client, issued + Seconds(3000)));
    }

    [Fact]
    public void IsValid_FromTheFuture_Refused()
    {
        var nonces = new ControlNonce(new SeededRandom(3));
        string nonce = nonces.Issue(s_client, At(Seconds(600)));
        Assert.False(Valid(nonces, nonce, s_client, Seconds(599)));
    }

    [Fact]
    public void IsValid_AnotherAddressOrPort_Refused()
    {
        var nonces = new ControlNonce(new SeededRandom(4));
        long mono = Seconds(42);
        string nonce = nonces.Issue(s_client, At(mono));

        Assert.False(Valid(nonces, nonce, AccessTestConfig.Address("192.0.2.8", 50123), mono));
        Assert.False(Valid(nonces, nonce, s_client.WithPort(50124), mono));
        Assert.False(Valid(nonces, nonce, AccessTestConfig.Address("::ffff:192.0.2.7", 50123), mono));
        Assert.True(Valid(nonces, nonce, s_client, mono));
    }

    [Fact]
    public void IsValid_AcrossTheHourlyKeyChange_UntilItsLifetimeEnds()
    {
        var nonces = new ControlNonce(new SeededRandom(5));
        _ = nonces.Issue(s_client, At(Seconds(10)));
        long beforeChange = Seconds(3605);
        string old = nonces.Issue(s_client, At(beforeChange));
        string fresh = nonces.Issue(s_client, At(Seconds(3612))); // a new key from 3610 s on

        Assert.True(Valid(nonces, old, s_client, beforeChange + Seconds(14)));
        Assert.True(Valid(nonces, fresh, s_client, beforeChange + Seconds(14)));
        Assert.False(Valid(nonces, old, s_client, beforeChange + Seconds(16)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123")]
    [InlineData("0123456789abcdef0123456789")]
    [InlineData("zz23456789abcdef01234567")]
    [InlineData("000000000000000000000000")]
    public void IsValid_MalformedOrForged_Refused(string text)
    {
        var nonces = new ControlNonce(new SeededRandom(6));
        _ = nonces.Issue(s_client, At(Seconds(1)));
        Assert.False(Valid(nonces, text, s_client, Seconds(1)));
    }

    [Fact]
    public void IsValid_OneDigitChanged_Refused()
    {
        var nonces = new ControlNonce(new SeededRandom(8));
        string nonce = nonces.Issue(s_client, At(Seconds(77)));
        for (int i = 0; i < nonce.Length; i++)
        {
            char changed = nonce[i] == '0' ? '1' : '0';
            string forged = nonce[..i] + changed + nonce[(i + 1)..];
            Assert.False(Valid(nonces, forged, s_client, Seconds(77)), forged);
        }
    }

    [Fact]
    public void IsValid_BeforeAnyNonceWasIssued_Refused() =>
        Assert.False(Valid(new ControlNonce(new SeededRandom(9)), "0123456789abcdef01234567", s_client, Seconds(1)));

    private static int CommonPositions(string a, string b)
    {
        int common = 0;
        for (int i = 0; i < a.Length; i++)
        {
            common += a[i] == b[i] ? 1 : 0;
        }

        return common;
    }
}

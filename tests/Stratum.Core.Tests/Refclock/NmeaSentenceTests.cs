// NMEA sentences for the type 20 reference clock: the time and date of RMC and ZDA, the time of GGA (the
// date then comes from the local clock, within half a day), talkers other than GP, the checksum, and
// everything that must be refused: a bad or missing checksum, a warning fix (RMC V, GGA quality 0), an
// impossible time or date, a sentence the mode does not select, overlong lines.
using System.Text;
using Stratum.Core.Refclock;

namespace Stratum.Core.Tests.Refclock;

public class NmeaSentenceTests
{
    /// <summary>"$" + body + "*" + the checksum, as a receiver sends it (with CR LF).</summary>
    public static byte[] Sentence(string body)
    {
        int sum = 0;
        foreach (char c in body)
        {
            sum ^= c;
        }

        return Encoding.ASCII.GetBytes($"${body}*{sum:X2}\r\n");
    }

    private static readonly double s_unix20261207 = (new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalSeconds;

    [Fact]
    public void Rmc_GivesTimeAndDate()
    {
        Assert.True(NmeaSentence.TryParse(Sentence("GPRMC,235958.250,A,4916.45,N,12311.12,W,000.5,054.7,071226,020.3,E"), NmeaSentenceKind.None, out NmeaTime time));
        Assert.Equal(NmeaSentenceKind.Rmc, time.Kind);
        Assert.Equal((2026, 12, 7), (time.Year, time.Month, time.Day));
        Assert.Equal(s_unix20261207 + (23 * 3600) + (59 * 60) + 58.25, time.ToUnixSeconds(0), 6);
    }

    [Fact]
    public void Zda_GivesTimeAndFourDigitYear_AndOtherTalkersCount()
    {
        Assert.True(NmeaSentence.TryParse(Sentence("GNZDA,120000.00,07,12,2026,00,00"), NmeaSentenceKind.None, out NmeaTime time));
        Assert.Equal(NmeaSentenceKind.Zda, time.Kind);
        Assert.Equal(s_unix20261207 + 43200, time.ToUnixSeconds(0), 6);
    }

    [Theory]
    [InlineData(0.25)] // local clock in the morning of 7 December
    [InlineData(-0.01)] // local clock just before midnight on the 6th: 00:00:01 is the next day's
    public void Gga_TakesItsDateFromTheLocalClock(double localDayFraction)
    {
        Assert.True(NmeaSentence.TryParse(Sentence("GPGGA,000001.0,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"), NmeaSentenceKind.None, out NmeaTime time));
        Assert.False(time.HasDate);
        Assert.Equal(s_unix20261207 + 1, time.ToUnixSeconds(s_unix20261207 + (localDayFraction * 86400)), 6);
    }

    [Theory]
    [InlineData("GPRMC,120000,V,4916.45,N,12311.12,W,000.5,054.7,071226,020.3,E")] // warning: no fix
    [InlineData("GPGGA,120000,4807.038,N,01131.000,E,0,00,0.9,545.4,M,46.9,M,,")] // fix quality 0
    [InlineData("GPRMC,250000,A,4916.45,N,12311.12,W,000.5,054.7,071226,020.3,E")] // hour 25
    [InlineData("GPRMC,120000,A,4916.45,N,12311.12,W,000.5,054.7,310226,020.3,E")] // 31 February
    [InlineData("GPZDA,120000.00,07,13,2026,00,00")] // month 13
    [InlineData("GPZDA,12000.00,07,12,2026,00,00")] // five-digit time
    [InlineData("GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00")] // no time in it
    [InlineData("GPRMC")] // no fields
    public void Refused(string body) => Assert.False(NmeaSentence.TryParse(Sentence(body), NmeaSentenceKind.None, out _));

    [Fact]
    public void ABadOrMissingChecksum_IsRefused()
    {
        byte[] good = Sentence("GPZDA,120000.00,07,12,2026,00,00");
        Assert.True(NmeaSentence.TryParse(good, NmeaSentenceKind.None, out _));
        byte[] bad = (byte[])good.Clone();
        bad[10] = (byte)'1';
        Assert.False(NmeaSentence.TryParse(bad, NmeaSentenceKind.None, out _));
        Assert.False(NmeaSentence.TryParse(Encoding.ASCII.GetBytes("$GPZDA,120000.00,07,12,2026,00,00\r\n"), NmeaSentenceKind.None, out _));
        Assert.False(NmeaSentence.TryParse(Encoding.ASCII.GetBytes("$GPZDA,120000.00,07,12,2026,00,00" + new string(' ', 80) + "*00"), NmeaSentenceKind.None, out _));
    }

    [Fact]
    public void TheModeSelectsSentences()
    {
        byte[] zda = Sentence("GPZDA,120000.00,07,12,2026,00,00");
        Assert.False(NmeaSentence.TryParse(zda, NmeaSentenceKind.Rmc, out _));
        Assert.True(NmeaSentence.TryParse(zda, NmeaSentenceKind.Rmc | NmeaSentenceKind.Zda, out _));
    }
}

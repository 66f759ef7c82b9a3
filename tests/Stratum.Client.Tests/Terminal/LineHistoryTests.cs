// LineHistory: blank lines and a repeat of the newest line are not stored; the oldest line goes
// when the capacity is reached; CommandLineReader without keys reads plain lines.
using Stratum.Client.Terminal;

namespace Stratum.Client.Tests.Terminal;

public class LineHistoryTests
{
    [Fact]
    public void Add_ConsecutiveDuplicateAndBlank_NotStored()
    {
        var history = new LineHistory();
        history.Add("peers");
        history.Add("peers");
        history.Add("");
        history.Add(" \t");
        history.Add("rv");
        history.Add("peers");
        Assert.Equal(3, history.Count);
        Assert.Equal(["peers", "rv", "peers"], [history[0], history[1], history[2]]);
    }

    [Fact]
    public void Add_BeyondCapacity_DropsTheOldest()
    {
        var history = new LineHistory(3);
        foreach (string line in new[] { "a", "b", "c", "d" })
        {
            history.Add(line);
        }

        Assert.Equal(3, history.Count);
        Assert.Equal(["b", "c", "d"], [history[0], history[1], history[2]]);
    }

    [Fact]
    public void DefaultCapacity_Is500()
    {
        var history = new LineHistory();
        for (int i = 0; i < 600; i++)
        {
            history.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(500, history.Count);
        Assert.Equal("100", history[0]);
    }

    [Fact]
    public void CommandLineReader_WithoutKeys_ReadsLinesAndEchoesNothing()
    {
        var echo = new StringWriter();
        var reader = new CommandLineReader(new StringReader("peers\nrv\n"), null, echo);
        Assert.Equal("peers", reader.ReadLine());
        Assert.Equal("rv", reader.ReadLine());
        Assert.Null(reader.ReadLine());
        Assert.Equal(string.Empty, echo.ToString());
        Assert.Equal(0, reader.History.Count);
    }

    [Fact]
    public void CommandLineReader_WithKeys_EditsAndKeepsHistory()
    {
        var echo = new StringWriter();
        var reader = new CommandLineReader(new StringReader("ignored\n"), ScriptedKeys.Of("peers", ScriptedKeys.Enter, ScriptedKeys.Up, ScriptedKeys.Enter), echo);
        Assert.Equal("peers", reader.ReadLine());
        Assert.Equal("peers", reader.ReadLine());
        Assert.Null(reader.ReadLine());
        Assert.Equal(1, reader.History.Count);
    }
}

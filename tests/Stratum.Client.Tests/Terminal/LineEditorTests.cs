// LineEditor with scripted keys: the line returned, the history kept, and what the terminal shows
// after the echo (ScriptedKeys.Screen), for recall, editing in the middle, the kill keys, Ctrl-D,
// Ctrl-C (never a key: ignored if one arrives) and the end of the key source.
using Stratum.Client.Terminal;
using static Stratum.Client.Tests.Terminal.ScriptedKeys;

namespace Stratum.Client.Tests.Terminal;

public class LineEditorTests
{
    private static (LineEditor Editor, StringWriter Echo, LineHistory History) Editor(ScriptedKeys keys, LineHistory? history = null)
    {
        var echo = new StringWriter();
        history ??= new LineHistory();
        return (new LineEditor(keys, echo, history), echo, history);
    }

    private static string LastRow(StringWriter echo)
    {
        IReadOnlyList<string> rows = Screen(echo.ToString());
        return rows[^1].Length == 0 && rows.Count > 1 ? rows[^2] : rows[^1];
    }

    [Fact]
    public void ReadLine_TypedTextAndEnter_ReturnsLineEchoedAndStored()
    {
        (LineEditor editor, StringWriter echo, LineHistory history) = Editor(Of("rv 0", Enter));
        Assert.Equal("rv 0", editor.ReadLine());
        Assert.Equal("rv 0\n", echo.ToString());
        Assert.Equal(1, history.Count);
    }

    [Fact]
    public void ReadLine_UpArrow_RecallsPreviousLines()
    {
        (LineEditor editor, StringWriter echo, LineHistory history) = Editor(Of("peers", Enter, "associations", Enter, Up, Up, Enter, Up, Enter));
        Assert.Equal("peers", editor.ReadLine());
        Assert.Equal("associations", editor.ReadLine());
        Assert.Equal("peers", editor.ReadLine());
        Assert.Equal("peers", editor.ReadLine());
        Assert.Equal(["peers", "associations", "peers", "peers", ""], Screen(echo.ToString()));
        Assert.Equal(3, history.Count);
    }

    [Fact]
    public void ReadLine_CtrlPAndCtrlN_WalkTheHistoryAndRestoreTheDraft()
    {
        var history = new LineHistory();
        history.Add("a");
        history.Add("b");
        (LineEditor editor, StringWriter echo, _) = Editor(Of("draft", Ctrl('p'), Ctrl('p'), Ctrl('p'), Down, Ctrl('n'), Ctrl('n'), Enter), history);
        Assert.Equal("draft", editor.ReadLine());
        Assert.Equal("draft", LastRow(echo));
    }

    [Fact]
    public void ReadLine_DownAfterUp_ShowsNewerLine()
    {
        var history = new LineHistory();
        history.Add("a");
        history.Add("b");
        (LineEditor editor, _, _) = Editor(Of(Up, Up, Down, Enter), history);
        Assert.Equal("b", editor.ReadLine());
    }

    [Fact]
    public void ReadLine_RecallOfShorterLine_ErasesTheLongerOneOnScreen()
    {
        var history = new LineHistory();
        history.Add("peers");
        (LineEditor editor, StringWriter echo, _) = Editor(Of("associations", Up, Enter), history);
        Assert.Equal("peers", editor.ReadLine());
        Assert.Equal("peers", LastRow(echo));
    }

    [Fact]
    public void ReadLine_EditRecalledLineInTheMiddle_ReturnsEditedLine()
    {
        var history = new LineHistory();
        history.Add("rv stratum");
        (LineEditor editor, StringWriter echo, LineHistory kept) = Editor(Of(Up, Home, Right, Right, " 0", End, ",refid", Enter), history);
        Assert.Equal("rv 0 stratum,refid", editor.ReadLine());
        Assert.Equal("rv 0 stratum,refid", LastRow(echo));
        Assert.Equal(2, kept.Count);
        Assert.Equal("rv stratum", kept[0]);
    }

    [Fact]
    public void ReadLine_BackspaceAndDeleteInTheMiddle_RedrawTheRest()
    {
        (LineEditor editor, StringWriter echo, _) = Editor(Of("abcdef", Left, Left, Backspace, Home, Delete, Enter));
        Assert.Equal("bcef", editor.ReadLine());
        Assert.Equal("bcef", LastRow(echo));
    }

    [Fact]
    public void ReadLine_BackspaceAtStartAndDeleteAtEnd_DoNothing()
    {
        (LineEditor editor, StringWriter echo, _) = Editor(Of("ab", Delete, Home, Backspace, Enter));
        Assert.Equal("ab", editor.ReadLine());
        Assert.Equal("ab", LastRow(echo));
    }

    [Fact]
    public void ReadLine_CtrlAAndCtrlE_MoveToStartAndEnd()
    {
        (LineEditor editor, StringWriter echo, _) = Editor(Of("bc", Ctrl('a'), "a", Ctrl('e'), "d", Ctrl('b'), Ctrl('b'), Ctrl('f'), "-", Enter));
        Assert.Equal("abc-d", editor.ReadLine());
        Assert.Equal("abc-d", LastRow(echo));
    }

    [Fact]
    public void ReadLine_CtrlU_KillsBackToTheStart()
    {
        (LineEditor editor, StringWriter echo, _) = Editor(Of("garbage", Ctrl('u'), "peers", Enter, "abc def", Left, Left, Left, Ctrl('u'), Enter));
        Assert.Equal("peers", editor.ReadLine());
        Assert.Equal("def", editor.ReadLine());
        Assert.Equal(["peers", "def", ""], Screen(echo.ToString()));
    }

    [Fact]
    public void ReadLine_CtrlKAndCtrlW_KillToEndAndThePreviousWord()
    {
        (LineEditor editor, StringWriter echo, _) = Editor(Of("abc def", Home, Right, Right, Right, Ctrl('k'), Enter, "rv 0 stratum", Ctrl('w'), Enter));
        Assert.Equal("abc", editor.ReadLine());
        Assert.Equal("rv 0 ", editor.ReadLine());
        Assert.Equal(["abc", "rv 0", ""], Screen(echo.ToString()));
    }

    [Fact]
    public void ReadLine_CtrlDOnEmptyLine_ReturnsNull()
    {
        (LineEditor editor, StringWriter echo, LineHistory history) = Editor(Of(Ctrl('d'), "peers", Enter));
        Assert.Null(editor.ReadLine());
        Assert.Equal("\n", echo.ToString());
        Assert.Equal(0, history.Count);
    }

    [Fact]
    public void ReadLine_CtrlDOnText_DeletesUnderTheCursor()
    {
        (LineEditor editor, _, _) = Editor(Of("xab", Home, Ctrl('d'), Enter));
        Assert.Equal("ab", editor.ReadLine());
    }

    [Fact]
    public void ReadLine_CtrlCKeyAndOtherControls_AreIgnored()
    {
        // On a terminal Ctrl-C is SIGINT (the runtime ends the process, as ntpq exits); should one
        // arrive as a key it neither ends the line nor is inserted.
        var tab = new ConsoleKeyInfo('\t', ConsoleKey.Tab, false, false, false);
        var escape = new ConsoleKeyInfo('\x1b', ConsoleKey.Escape, false, false, false);
        (LineEditor editor, StringWriter echo, _) = Editor(Of("ab", Ctrl('c'), tab, escape, "c", Enter));
        Assert.Equal("abc", editor.ReadLine());
        Assert.Equal("abc\n", echo.ToString());
    }

    [Fact]
    public void ReadLine_ControlLetterWithoutControlCharacter_IsStillAControlKey()
    {
        var ctrlA = new ConsoleKeyInfo('a', ConsoleKey.A, false, false, true);
        (LineEditor editor, _, _) = Editor(Of("bc", ctrlA, "a", Enter));
        Assert.Equal("abc", editor.ReadLine());
    }

    [Fact]
    public void ReadLine_KeysRunOut_ReturnsPartialLineThenNull()
    {
        (LineEditor editor, _, LineHistory history) = Editor(Of("peers"));
        Assert.Equal("peers", editor.ReadLine());
        Assert.Null(editor.ReadLine());
        Assert.Equal(1, history.Count);
    }

    [Fact]
    public void ReadLine_BlankLine_IsReturnedButNotStored()
    {
        (LineEditor editor, _, LineHistory history) = Editor(Of("  ", Enter, Up, Enter));
        Assert.Equal("  ", editor.ReadLine());
        Assert.Equal(string.Empty, editor.ReadLine());
        Assert.Equal(0, history.Count);
    }

    [Fact]
    public void ReadLine_UpWithEmptyHistory_KeepsTheLine()
    {
        (LineEditor editor, _, _) = Editor(Of("x", Up, Down, Enter));
        Assert.Equal("x", editor.ReadLine());
    }

    [Fact]
    public void ReadLine_TooLong_DropsCharactersBeyondTheCap()
    {
        (LineEditor editor, _, _) = Editor(Of(new string('a', LineEditor.MaxLength + 10), Enter));
        Assert.Equal(LineEditor.MaxLength, editor.ReadLine()!.Length);
    }
}

// FragmentAssembler on hostile fragment sets: truncated (a gap never filled), out of order,
// duplicated, overlapping, beyond the announced end, a second "last" fragment that disagrees, and
// more fragments than ntpq accepts.
using Stratum.Client.Mode6;
using Stratum.Core.Mode6;

namespace Stratum.Client.Tests.Mode6;

public class FragmentAssemblerTests
{
    private static ControlHeader Header(int offset, int count, bool more) =>
        new(2, true, false, more, ControlOpcode.ReadVariables, 1, 0, 0, (ushort)offset, (ushort)count);

    private static bool Add(FragmentAssembler assembler, int offset, string text, bool more) =>
        assembler.TryAdd(Header(offset, text.Length, more), System.Text.Encoding.ASCII.GetBytes(text));

    [Fact]
    public void TryAdd_OutOfOrderAndDuplicated_CompletesInOffsetOrder()
    {
        var assembler = new FragmentAssembler();
        Assert.True(Add(assembler, 4, "efgh", more: false));
        Assert.False(assembler.IsComplete);
        Assert.True(Add(assembler, 4, "efgh", more: false));
        Assert.True(Add(assembler, 0, "abcd", more: true));
        Assert.True(assembler.IsComplete);
        Assert.Equal("abcdefgh", System.Text.Encoding.ASCII.GetString(assembler.ToArray()));
    }

    [Fact]
    public void TryAdd_GapNeverFilled_StaysIncomplete()
    {
        var assembler = new FragmentAssembler();
        Assert.True(Add(assembler, 0, "abcd", more: true));
        Assert.True(Add(assembler, 8, "ijkl", more: false));
        Assert.False(assembler.IsComplete);
    }

    [Fact]
    public void TryAdd_OverlappingFragments_NeverComplete()
    {
        var assembler = new FragmentAssembler();
        Assert.True(Add(assembler, 0, "abcdef", more: true));
        Assert.True(Add(assembler, 4, "efgh", more: false));
        Assert.False(assembler.IsComplete);
    }

    [Fact]
    public void TryAdd_BeyondTheLastFragment_IsRejected()
    {
        var assembler = new FragmentAssembler();
        Assert.True(Add(assembler, 0, "abcd", more: false));
        Assert.False(Add(assembler, 4, "efgh", more: true));
        Assert.False(Add(assembler, 2, "cdefgh", more: false));
    }

    [Fact]
    public void TryAdd_MoreThanMaxFragments_IsRejected()
    {
        var assembler = new FragmentAssembler();
        for (int i = 0; i < FragmentAssembler.MaxFragments; i++)
        {
            Assert.True(Add(assembler, i * 2, "ab", more: true));
        }

        Assert.False(Add(assembler, FragmentAssembler.MaxFragments * 2, "ab", more: false));
    }
}

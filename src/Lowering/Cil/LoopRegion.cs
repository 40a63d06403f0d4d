namespace Dsl.Lowering.Cil;

/// <summary>
/// The blocks of one natural loop: the header (whose branch tests the loop condition) and every block that the body
/// entry reaches and that reaches the header again without passing through it. While the body is folded, a branch
/// whose two sides meet only outside these blocks is joined at the header instead (the side that leaves the loop
/// returns; see <see cref="CilInterpreter"/>'s loop folding).
/// </summary>
internal sealed class LoopRegion
{
    private LoopRegion(MethodFrame frame, int header, HashSet<int> blocks)
    {
        Frame = frame;
        Header = header;
        Blocks = blocks;
    }

    public MethodFrame Frame { get; }

    public int Header { get; }

    public IReadOnlySet<int> Blocks { get; }

    public static LoopRegion Of(MethodFrame frame, int header, int body)
    {
        var graph = frame.Graph;
        var reached = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var block = pending.Pop();
            if (block == header || !reached.Add(block)) continue;
            foreach (var successor in graph.Blocks[block].Successors) pending.Push(successor);
        }

        var loop = new HashSet<int> { header };
        foreach (var predecessor in graph.Blocks[header].Predecessors.Where(reached.Contains)) pending.Push(predecessor);
        while (pending.Count > 0)
        {
            var block = pending.Pop();
            if (!loop.Add(block)) continue;
            foreach (var predecessor in graph.Blocks[block].Predecessors.Where(reached.Contains)) pending.Push(predecessor);
        }

        return new LoopRegion(frame, header, loop);
    }

    /// <summary>Where two sides of a branch inside the loop meet: their post-dominator when it is in the loop, else the header.</summary>
    public int Join(int postDominator) => postDominator >= 0 && Blocks.Contains(postDominator) ? postDominator : Header;
}

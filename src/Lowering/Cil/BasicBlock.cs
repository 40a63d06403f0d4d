namespace Dsl.Lowering.Cil;

/// <summary>
/// A maximal straight-line run of instructions: control enters only at the first and leaves only after the
/// last. <see cref="Successors"/> lists conditional targets first (taken, then fall-through; for a
/// <c>switch</c>, case targets in order, then the default); a block that returns or throws has none.
/// </summary>
internal sealed class BasicBlock
{
    public BasicBlock(int index, int firstInstruction, int lastInstruction)
    {
        Index = index;
        FirstInstruction = firstInstruction;
        LastInstruction = lastInstruction;
    }

    public int Index { get; }

    public int FirstInstruction { get; }

    public int LastInstruction { get; }

    public List<int> Successors { get; } = new();

    public List<int> Predecessors { get; } = new();

    /// <summary>
    /// The nearest block every path from this one to the function's exit passes through, or
    /// <see cref="BlockGraph.Exit"/> when the paths meet only at the exit (they all return or throw).
    /// </summary>
    public int ImmediatePostDominator { get; set; } = BlockGraph.Exit;

    /// <summary>Evaluation stack depth on entry, from the first path that reached the block (-1 until then).</summary>
    public int EntryStackDepth { get; set; } = -1;
}

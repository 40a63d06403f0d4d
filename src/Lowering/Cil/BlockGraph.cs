using System.Reflection;
using System.Reflection.Emit;

namespace Dsl.Lowering.Cil;

/// <summary>
/// The control-flow graph of one method body: basic blocks, edges, and immediate post-dominators
/// (computed with a virtual exit node that every returning or throwing block reaches). The symbolic
/// interpreter uses post-dominators as the join points where the two sides of a branch meet again.
/// </summary>
internal sealed class BlockGraph
{
    /// <summary>The virtual exit node's index.</summary>
    public const int Exit = -1;

    private readonly Dictionary<int, int> _blockByOffset = new();

    private BlockGraph(MethodBase method, IReadOnlyList<IlInstruction> instructions)
    {
        Method = method;
        Instructions = instructions;
    }

    public MethodBase Method { get; }

    public IReadOnlyList<IlInstruction> Instructions { get; }

    public List<BasicBlock> Blocks { get; } = new();

    public BasicBlock BlockAt(int offset) =>
        _blockByOffset.TryGetValue(offset, out var index)
            ? Blocks[index]
            : throw new LoweringFailure("malformed-il", $"branch to IL_{offset:x4}, which starts no instruction", Method, offset);

    public static BlockGraph Build(MethodBase method, IReadOnlyList<IlInstruction> instructions)
    {
        var graph = new BlockGraph(method, instructions);
        graph.SplitBlocks();
        graph.LinkBlocks();
        graph.ComputePostDominators();
        return graph;
    }

    private void SplitBlocks()
    {
        var offsets = new HashSet<int>(Instructions.Select(i => i.Offset));
        var leaders = new SortedSet<int> { 0 };
        foreach (var instruction in Instructions)
        {
            foreach (var target in Targets(instruction))
            {
                if (!offsets.Contains(target))
                    throw new LoweringFailure("malformed-il", $"branch to IL_{target:x4}, which starts no instruction", Method, instruction.Offset);
                leaders.Add(target);
            }

            if ((instruction.EndsFlow || instruction.IsConditionalBranch || instruction.OpCode == OpCodes.Switch)
                && offsets.Contains(instruction.NextOffset))
                leaders.Add(instruction.NextOffset);
        }

        var start = 0;
        for (var i = 0; i < Instructions.Count; i++)
        {
            var isLast = i == Instructions.Count - 1 || leaders.Contains(Instructions[i + 1].Offset);
            if (!isLast) continue;
            _blockByOffset[Instructions[start].Offset] = Blocks.Count;
            Blocks.Add(new BasicBlock(Blocks.Count, start, i));
            start = i + 1;
        }
    }

    private void LinkBlocks()
    {
        foreach (var block in Blocks)
        {
            var last = Instructions[block.LastInstruction];
            block.Successors.AddRange(Targets(last).Select(t => BlockAt(t).Index));
            if (!last.EndsFlow)
            {
                if (block.Index + 1 >= Blocks.Count)
                    throw new LoweringFailure("malformed-il", "control falls off the end of the method", Method, last.Offset);
                block.Successors.Add(block.Index + 1);
            }

            foreach (var successor in block.Successors.Distinct()) Blocks[successor].Predecessors.Add(block.Index);
        }
    }

    private static IEnumerable<int> Targets(IlInstruction instruction) => instruction.Operand switch
    {
        int target when instruction.OpCode.OperandType is OperandType.InlineBrTarget or OperandType.ShortInlineBrTarget => [target],
        int[] targets => targets,
        _ => [],
    };

    /// <summary>
    /// Cooper–Harvey–Kennedy iterative dominators on the reversed graph, rooted at the virtual exit
    /// (node number <c>Blocks.Count</c> internally).
    /// </summary>
    private void ComputePostDominators()
    {
        var count = Blocks.Count;
        var exitNode = count;
        // Reverse graph: exit -> blocks without successors; block -> its predecessors.
        IEnumerable<int> ReversedSuccessors(int node) =>
            node == exitNode ? Blocks.Where(b => b.Successors.Count == 0).Select(b => b.Index) : Blocks[node].Predecessors;
        IEnumerable<int> ReversedPredecessors(int node) =>
            node == exitNode ? [] : Blocks[node].Successors.Count == 0 ? [exitNode] : Blocks[node].Successors;

        var postOrder = new List<int>();
        var visited = new bool[count + 1];
        var stack = new Stack<(int Node, IEnumerator<int> Next)>();
        visited[exitNode] = true;
        stack.Push((exitNode, ReversedSuccessors(exitNode).GetEnumerator()));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Peek();
            if (next.MoveNext())
            {
                var child = next.Current;
                if (visited[child]) continue;
                visited[child] = true;
                stack.Push((child, ReversedSuccessors(child).GetEnumerator()));
            }
            else
            {
                stack.Pop();
                postOrder.Add(node);
            }
        }

        var order = new int[count + 1];
        Array.Fill(order, -1);
        for (var i = 0; i < postOrder.Count; i++) order[postOrder[i]] = i;
        var idom = new int[count + 1];
        Array.Fill(idom, -1);
        idom[exitNode] = exitNode;
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var i = postOrder.Count - 1; i >= 0; i--)
            {
                var node = postOrder[i];
                if (node == exitNode) continue;
                var newIdom = -1;
                foreach (var pred in ReversedPredecessors(node))
                {
                    if (idom[pred] == -1) continue;
                    newIdom = newIdom == -1 ? pred : Intersect(pred, newIdom);
                }

                if (newIdom != -1 && idom[node] != newIdom)
                {
                    idom[node] = newIdom;
                    changed = true;
                }
            }
        }

        int Intersect(int a, int b)
        {
            while (a != b)
            {
                while (order[a] < order[b]) a = idom[a];
                while (order[b] < order[a]) b = idom[b];
            }

            return a;
        }

        foreach (var block in Blocks)
            block.ImmediatePostDominator = idom[block.Index] is var p && p >= 0 && p != exitNode ? p : Exit;
    }
}

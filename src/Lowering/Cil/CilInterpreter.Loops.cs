using System.Linq.Expressions;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Intrinsics;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>The loops whose bodies are being folded, innermost on top.</summary>
    private readonly Stack<LoopRegion> _loops = new();

    /// <summary>Where the two sides of a branch in <paramref name="block"/> meet (inside a folded loop body: never past its header).</summary>
    private int JoinOf(MethodFrame frame, BasicBlock block) =>
        _loops.TryPeek(out var loop) && loop.Frame == frame ? loop.Join(block.ImmediatePostDominator) : block.ImmediatePostDominator;

    /// <summary>A path that reaches the header of an enclosing folded loop other than as its stop (a <c>break</c> or <c>continue</c> of an outer loop).</summary>
    private void RefuseOuterLoopHeader(MethodFrame frame, int blockIndex, int stop)
    {
        if (blockIndex == stop) return;
        foreach (var loop in _loops)
        {
            if (loop.Frame == frame && loop.Header == blockIndex)
                throw new LoweringFailure("loop", "a path inside a loop goes back to an enclosing loop's test (break or continue of an outer loop)", frame.Method, frame.Graph.Instructions[frame.Graph.Blocks[blockIndex].FirstInstruction].Offset);
        }
    }

    /// <summary>
    /// Recognises a loop over a sequence at a loop header's branch and folds it: C#'s <c>foreach</c> over an array (an
    /// index loop), over an <see cref="IEnumerable{T}"/>/<see cref="IReadOnlyList{T}"/> (its enumerator's <c>MoveNext</c>)
    /// or a <see cref="List{T}"/> (its struct enumerator), and <c>for (var i = k; i &lt; xs.Length/xs.Count; i++)</c> reading
    /// <c>xs[i]</c>. The body runs once with a fresh symbol for every slot and the element; loop-carried slots become a
    /// fold, and paths that leave the loop by returning (or breaking to a return) become a search:
    /// <c>Any(c) ? v(First(c)) : rest</c>. Returns the outcome after the loop, or null when the branch is not a loop over a
    /// sequence (the caller then falls back). A loop over a sequence that cannot be folded exactly falls back here, with the reason.
    /// </summary>
    private (Outcome Outcome, int Exit)? TryFoldLoop(MethodFrame frame, BasicBlock header, Expression condition, int target, int otherTarget, SymbolicState state)
    {
        var enumerator = (condition as MoveNextValue)?.Enumerator;
        if (enumerator is null && !ReadsSequenceLength(condition)) return null;
        var (bodyTarget, exitTarget) = LoopTargets(frame, header, target, otherTarget);
        if (bodyTarget < 0) return null;
        var where = frame.At(frame.Graph.Instructions[header.LastInstruction].Offset);
        if (state.Stack.Count != 0) throw Refuse(where, "a loop entered with values on the evaluation stack");
        FreezeArrays(state.Arguments);
        FreezeArrays(state.Locals);
        return (new LoopFold(this, frame, header, bodyTarget, state, enumerator, where).Fold(), exitTarget);
    }

    /// <summary>Which branch target enters the body (reaches the header again) and which leaves; (-1, -1) when neither or both do.</summary>
    private static (int Body, int Exit) LoopTargets(MethodFrame frame, BasicBlock header, int target, int otherTarget)
    {
        var targetLoops = LoopRegion.Of(frame, header.Index, target).Blocks.Count > 1;
        var otherLoops = LoopRegion.Of(frame, header.Index, otherTarget).Blocks.Count > 1;
        return targetLoops == otherLoops ? (-1, -1) : targetLoops ? (target, otherTarget) : (otherTarget, target);
    }

    /// <summary>True when a loop test reads the length of a sequence (<c>xs.Length</c>, <c>xs.Count</c>).</summary>
    private static bool ReadsSequenceLength(Expression condition) => condition switch
    {
        UnaryExpression { NodeType: ExpressionType.ArrayLength } => true,
        ListAggregateExpression { Kind: ListAggregateKind.Count, NullSource: ListNullSource.ThrowsNullReference } => true,
        UnaryExpression unary => ReadsSequenceLength(unary.Operand),
        BinaryExpression binary => ReadsSequenceLength(binary.Left) || ReadsSequenceLength(binary.Right),
        _ => false,
    };

    /// <summary>A loop's body runs once over symbols, so arrays still being initialised become read-only values first.</summary>
    private static void FreezeArrays(Expression[] slots)
    {
        for (var i = 0; i < slots.Length; i++)
            if (slots[i] is PendingArray pending) slots[i] = pending.Freeze();
    }

    private static LoweringFailure Refuse(MethodFrameInfo where, string message) => new("loop", message, where.Method, where.Offset);
}

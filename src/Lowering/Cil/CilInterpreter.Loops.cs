using System.Linq.Expressions;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Intrinsics;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>
    /// Recognises a fold over an array input at a loop header whose test is <c>i &lt; xs.Length</c> with <c>i == 0</c>
    /// (C#'s <c>foreach</c> over an array and the matching <c>for</c>): runs the body once with a fresh symbol for
    /// every slot, requires that it only counts <c>i</c> up by one, reads <c>xs[i]</c> (no other element: a computed
    /// index may be out of range), and updates the other slots without anything that may throw, and lowers the loop to <see cref="ArrayLoops.Fold"/>. Returns the state
    /// after the loop, or null when the loop is not such a fold (the caller then falls back).
    /// </summary>
    private SymbolicState? TryFoldArrayLoop(MethodFrame frame, BasicBlock header, Expression condition, int bodyTarget, SymbolicState state)
    {
        if (condition is not BinaryExpression { NodeType: ExpressionType.GreaterThan, Left: UnaryExpression { NodeType: ExpressionType.ArrayLength } length, Right: ConstantExpression { Value: 0 } })
            return null;
        var isLoopTest = bodyTarget <= header.Index || header.Predecessors.Any(p => p >= header.Index);
        if (!isLoopTest || state.Stack.Count != 0) return null;
        var array = length.Operand;
        FreezeArrays(state.Arguments);
        FreezeArrays(state.Locals);
        var seeds = state.Arguments.Concat(state.Locals).ToArray();
        var symbols = seeds.Select((s, k) => Expression.Parameter(s.Type, $"loop{k}")).ToArray();
        var body = new SymbolicState(symbols[..state.Arguments.Length].ToArray<Expression>(), symbols[state.Arguments.Length..].ToArray<Expression>());
        if (Run(frame, bodyTarget, body, header.Index) is not FallsThrough { State: var after }) return null;
        var next = after.Arguments.Concat(after.Locals).ToArray();
        var carried = Enumerable.Range(0, seeds.Length).Where(k => next[k] != symbols[k]).ToList();
        var unchanged = Enumerable.Range(0, seeds.Length).Except(carried).ToList();
        Expression Settle(Expression e) => _ir.InternTree(ParameterSubstitution.Replace(e, unchanged.Select(k => symbols[k]).ToArray(), unchanged.Select(k => seeds[k]).ToArray()));
        var counter = carried.FirstOrDefault(k => seeds[k] is ConstantExpression { Value: 0 } && seeds[k].Type == typeof(int)
            && next[k] is BinaryExpression { NodeType: ExpressionType.Add, Right: ConstantExpression { Value: 1 } } add && add.Left == symbols[k], -1);
        if (counter < 0) return null;
        // The only effects the body may have are reading the element (xs[i], in range by the loop test) and the
        // length; any other read, such as xs[(int)x] with a computed index, may throw and would be lost by the fold.
        bool IsElementOrLength(EffectItem item) => item is NodeEffect { Node: var node } && Settle(node) switch
        {
            BinaryExpression { NodeType: ExpressionType.ArrayIndex } read => read.Left == array && read.Right == symbols[counter],
            UnaryExpression { NodeType: ExpressionType.ArrayLength } lengthRead => lengthRead.Operand == array,
            _ => false,
        };
        if (!after.Effects.Items.All(IsElementOrLength)) return null;
        var element = Expression.Parameter(array.Type.GetElementType()!, "item");
        var folded = carried.Where(k => k != counter).ToList();
        var steps = new List<Expression>();
        foreach (var k in folded)
        {
            var step = new ElementReader(array, symbols[counter], element).Visit(Settle(next[k]))!;
            if (ThrowAnalysis.SubtreeCanThrow(step) || Mentions(step, symbols[counter])) return null;
            steps.Add(step);
        }

        var result = state.Clone();
        void Set(int k, Expression value)
        {
            if (k < result.Arguments.Length) result.Arguments[k] = value;
            else result.Locals[k - result.Arguments.Length] = value;
        }

        if (folded.Count > 0)
        {
            var values = ArrayLoops.Fold(array, element, folded.Select(k => symbols[k]).ToArray(), folded.Select(k => seeds[k]).ToArray(), steps);
            for (var i = 0; i < folded.Count; i++) Set(folded[i], _ir.InternTree(values[i]));
            foreach (var k in folded) result.Effects = result.Effects.Observe(k < result.Arguments.Length ? result.Arguments[k] : result.Locals[k - result.Arguments.Length]);
        }

        Set(counter, length);
        return result;
    }

    /// <summary>A loop's body runs once over symbols, so arrays still being initialised become read-only values first.</summary>
    private static void FreezeArrays(Expression[] slots)
    {
        for (var i = 0; i < slots.Length; i++)
            if (slots[i] is PendingArray pending) slots[i] = pending.Freeze();
    }

    private static bool Mentions(Expression tree, ParameterExpression symbol)
    {
        var found = false;
        new SymbolFinder(symbol, () => found = true).Visit(tree);
        return found;
    }

    /// <summary>Replaces <c>array[counter]</c> by the loop's element symbol.</summary>
    private sealed class ElementReader(Expression array, ParameterExpression counter, ParameterExpression element) : MemoizingVisitor
    {
        protected override Expression VisitBinary(BinaryExpression node) =>
            node.NodeType == ExpressionType.ArrayIndex && node.Left == array && node.Right == counter ? element : base.VisitBinary(node);
    }

    private sealed class SymbolFinder(ParameterExpression symbol, Action found) : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public override Expression? Visit(Expression? node) => node is null || _seen.Add(node) ? base.Visit(node) : node;

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (node == symbol) found();
            return node;
        }
    }
}

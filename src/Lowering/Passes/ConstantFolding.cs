using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Passes;

/// <summary>
/// Replaces operators whose operands are all constants by their value, computed by the same C# operators
/// the delegate runs (see <see cref="ConstantEvaluator"/>). Invariant: a node whose evaluation would throw
/// (<c>1 / 0</c>, <c>checked(int.MaxValue + 1)</c>) is kept, so it still throws at run time; floating math
/// is folded only by the runtime's own operations, never by an approximation. The IR is a DAG (hash-consed
/// subtrees are shared), so each node is folded once, by reference: the work is linear in the DAG's size.
/// </summary>
internal sealed class ConstantFolding
{
    private readonly IrFactory _ir;

    public ConstantFolding(IrFactory ir) => _ir = ir;

    public Expression Run(Expression node) => new Folder(_ir).Visit(node)!;

    private sealed class Folder(IrFactory ir) : MemoizingVisitor
    {
        protected override Expression Rewrite(Expression node)
        {
            var rebuilt = base.Rewrite(node);
            if (rebuilt is ListAggregateExpression { Source: ConstantExpression { Value: not null } } aggregate) return FoldAggregate(aggregate);
            return rebuilt is UnaryExpression or BinaryExpression or MethodCallExpression ? ir.Fold(rebuilt) : rebuilt;
        }

        /// <summary>
        /// An aggregate over a constant array (<c>new double[] { 1.5, -2.0 }.Max()</c>) is a constant: its value,
        /// computed by the aggregate's own reduction (the code a kernel would run). Kept when it reads anything but
        /// its own lambdas' parameters, or when it throws (<c>new int[0].Min()</c> must throw at run time). Besides
        /// saving the loop per row, this keeps such loops out of kernels: a row loop that emitted two of them several
        /// times made the JIT run out of memory (fuzz seed 42, program 87142).
        /// </summary>
        private Expression FoldAggregate(ListAggregateExpression aggregate) =>
            ConstantEvaluator.TryEvaluate(aggregate, out var value) ? ir.Constant(value, aggregate.Type) : aggregate;

        protected override Expression VisitLambda<T>(Expression<T> node) => node;
    }
}

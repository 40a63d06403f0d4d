using System.Diagnostics.CodeAnalysis;
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

    private sealed class Folder(IrFactory ir) : ExpressionVisitor
    {
        private readonly Dictionary<Expression, Expression> _done = new(ReferenceEqualityComparer.Instance);

        [return: NotNullIfNotNull(nameof(node))]
        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            if (_done.TryGetValue(node, out var known)) return known;
            var rebuilt = base.Visit(node)!;
            var folded = rebuilt is UnaryExpression or BinaryExpression or MethodCallExpression ? ir.Fold(rebuilt) : rebuilt;
            _done[node] = folded;
            return folded;
        }

        protected override Expression VisitLambda<T>(Expression<T> node) => node;
    }
}

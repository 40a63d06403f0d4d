using System.Linq.Expressions;

namespace Dsl.Codegen.Compilation;

/// <summary>
/// The number of nodes <see cref="LambdaExpression.Compile()"/> emits for a tree: the expression compiler
/// emits a node's code at every place it is used, so a hash-consed IR whose subtrees are shared (a DAG) can
/// expand exponentially. Computed in time linear in the DAG (each node object is measured once) and
/// saturating, so an astronomically large expansion is still a finite number.
/// </summary>
internal sealed class ExpandedSize : ExpressionVisitor
{
    private readonly Dictionary<Expression, double> _sizes = new(ReferenceEqualityComparer.Instance);
    private double _sum;

    /// <summary>The expanded node count of <paramref name="node"/>.</summary>
    public static double Of(Expression node)
    {
        var measure = new ExpandedSize();
        measure.Visit(node);
        return measure._sum;
    }

    public override Expression? Visit(Expression? node)
    {
        if (node is null) return null;
        if (!_sizes.TryGetValue(node, out var size))
        {
            var outer = _sum;
            _sum = 0;
            base.Visit(node);
            size = 1 + _sum;
            _sizes[node] = size;
            _sum = outer;
        }

        _sum += size;
        return node;
    }

    // Lambdas nested in the kernel (list predicates) are compiled as they are: measure their bodies too.
    protected override Expression VisitLambda<T>(Expression<T> node)
    {
        Visit(node.Body);
        return node;
    }
}

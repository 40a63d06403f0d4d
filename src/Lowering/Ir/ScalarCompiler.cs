using System.Linq.Expressions;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Ir;

/// <summary>
/// Compiles an IR lambda as a plain scalar delegate while keeping its sharing: every shared node that
/// cannot throw is computed once into a local at the top (evaluating a total, pure node early changes
/// nothing); shared nodes that may throw stay in place so they throw only where the function would.
/// Without this, compiling a hash-consed DAG as a tree duplicates shared subtrees exponentially.
/// </summary>
internal static class ScalarCompiler
{
    public static Delegate Compile(LambdaExpression lambda) => Bind(lambda).Compile();

    /// <summary>The lambda rewritten with shared, non-throwing nodes bound to block variables.</summary>
    public static LambdaExpression Bind(LambdaExpression lambda)
    {
        var counts = IrMetrics.ReferenceCounts(lambda.Body);
        var bound = new Dictionary<Expression, ParameterExpression>(ReferenceEqualityComparer.Instance);
        var assignments = new List<Expression>();
        var binder = new Binder(counts, bound, assignments);
        var body = binder.Visit(lambda.Body)!;
        if (assignments.Count == 0) return lambda;
        return Expression.Lambda(lambda.Type, Expression.Block(bound.Values, assignments.Append(body)), lambda.Parameters);
    }

    private sealed class Binder(Dictionary<Expression, int> counts, Dictionary<Expression, ParameterExpression> bound, List<Expression> assignments)
        : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            if (bound.TryGetValue(node, out var variable)) return variable;
            var rebuilt = base.Visit(node)!;
            var shared = counts.TryGetValue(node, out var count) && count > 1
                && node is not (ParameterExpression or ConstantExpression or DefaultExpression or BlockExpression)
                && node.Type != typeof(void) && !ThrowAnalysis.SubtreeCanThrow(node);
            if (!shared) return rebuilt;
            variable = Expression.Variable(node.Type, $"s{bound.Count + 1}");
            bound[node] = variable;
            assignments.Add(Expression.Assign(variable, rebuilt));
            return variable;
        }

        protected override Expression VisitLambda<T>(Expression<T> node) => node;
    }
}

using System.Linq.Expressions;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Ir;

/// <summary>
/// Compiles an IR lambda as a plain scalar delegate while keeping its sharing: every shared node that
/// cannot throw is computed once into a local at the top (evaluating a total, pure node early changes
/// nothing); shared nodes that may throw stay in place so they throw only where the function would.
/// Without this, compiling a hash-consed DAG as a tree duplicates shared subtrees exponentially. An aggregate
/// that a block evaluates as a statement (the function computed it unconditionally, e.g. a mean before a second
/// loop) is also bound there, and its later uses — inside other aggregates' lambdas too — read the local, so the
/// scalar code does not recompute it for every element.
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
        // Nodes bound at the top cannot throw, so they never hold an aggregate: binding aggregates afterwards is independent.
        var body = BindEvaluatedAggregates(binder.Visit(lambda.Body)!);
        if (assignments.Count == 0 && body == lambda.Body) return lambda;
        return Expression.Lambda(lambda.Type, assignments.Count == 0 ? body : Expression.Block(bound.Values, assignments.Append(body)), lambda.Parameters);
    }

    /// <summary>
    /// <c>{ _ = A; …; r }</c> with an aggregate statement <c>A</c> becomes <c>{ a = A; …; r }</c> with <c>A</c> read as
    /// <c>a</c> after it. Exact: <c>A</c> is evaluated at the same point, and a later evaluation of the pure node gives
    /// the same value (it cannot throw, having succeeded); statements before it cannot hold it (it would have been
    /// evaluated there first).
    /// </summary>
    private static Expression BindEvaluatedAggregates(Expression body)
    {
        if (body is not BlockExpression { Variables.Count: 0 } block || !block.Expressions.Take(block.Expressions.Count - 1).Any(e => e is ListAggregateExpression))
            return body;
        var statements = block.Expressions.ToList();
        var variables = new List<ParameterExpression>();
        for (var i = 0; i < statements.Count - 1; i++)
        {
            if (statements[i] is not ListAggregateExpression aggregate) continue;
            var local = Expression.Variable(aggregate.Type, $"a{variables.Count + 1}");
            variables.Add(local);
            statements[i] = Expression.Assign(local, aggregate);
            var reader = new NodeReplacer(aggregate, local);
            for (var j = i + 1; j < statements.Count; j++) statements[j] = reader.Visit(statements[j]);
        }

        return Expression.Block(block.Type, variables, statements);
    }

    private sealed class NodeReplacer(Expression node, Expression replacement) : MemoizingVisitor
    {
        protected override Expression Rewrite(Expression current) => current == node ? replacement : base.Rewrite(current);
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

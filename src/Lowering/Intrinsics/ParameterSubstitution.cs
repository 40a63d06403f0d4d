using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Replaces lambda or loop parameters by expressions in a body (inlining a pure lambda at its use). Each node of
/// the (shared, hash-consed) body is rewritten once, by reference, so the work is linear in the DAG's size. A nested
/// lambda that declares one of the parameters is left alone: inside it the name means its own parameter (aggregate
/// lambdas share canonical parameters, see <see cref="IrFactory.InternAggregate"/>).
/// </summary>
internal sealed class ParameterSubstitution(IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> values) : MemoizingVisitor
{
    public static Expression Replace(Expression body, IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> values) =>
        new ParameterSubstitution(parameters, values).Visit(body);

    protected override Expression VisitParameter(ParameterExpression node)
    {
        for (var i = 0; i < parameters.Count; i++)
            if (node == parameters[i]) return values[i];
        return node;
    }

    protected override Expression VisitLambda<T>(Expression<T> node) =>
        node.Parameters.Any(parameters.Contains) ? node : base.VisitLambda(node);
}

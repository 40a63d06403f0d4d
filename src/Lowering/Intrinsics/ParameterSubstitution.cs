using System.Linq.Expressions;

namespace Dsl.Lowering.Intrinsics;

/// <summary>Replaces lambda or loop parameters by expressions in a body (inlining a pure lambda at its use).</summary>
internal sealed class ParameterSubstitution(IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> values) : ExpressionVisitor
{
    public static Expression Replace(Expression body, IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> values) =>
        new ParameterSubstitution(parameters, values).Visit(body);

    protected override Expression VisitParameter(ParameterExpression node)
    {
        for (var i = 0; i < parameters.Count; i++)
            if (node == parameters[i]) return values[i];
        return node;
    }
}

using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

/// <summary>
/// The direct children of any IR node, as <see cref="ExpressionVisitor"/> visits them (so extension nodes report their
/// own: an aggregate's source, lambdas and argument), including a lambda's parameters and a block's variables.
/// </summary>
internal static class IrChildren
{
    public static IReadOnlyList<Expression> Of(Expression node)
    {
        switch (node)
        {
            case ConstantExpression or ParameterExpression or DefaultExpression:
                return [];
            case UnaryExpression unary:
                return [unary.Operand];
            case BinaryExpression { Conversion: null } binary:
                return [binary.Left, binary.Right];
            case ConditionalExpression conditional:
                return [conditional.Test, conditional.IfTrue, conditional.IfFalse];
            case MemberExpression member:
                return member.Expression is null ? [] : [member.Expression];
            case MethodCallExpression call:
                return call.Object is null ? call.Arguments : [call.Object, .. call.Arguments];
        }

        var collector = new Collector(node);
        collector.Visit(node);
        return collector.Children;
    }

    private sealed class Collector(Expression root) : ExpressionVisitor
    {
        private bool _entered;

        public List<Expression> Children { get; } = [];

        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            if (!_entered && ReferenceEquals(node, root))
            {
                _entered = true;
                return base.Visit(node);
            }

            Children.Add(node);
            return node;
        }
    }
}

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

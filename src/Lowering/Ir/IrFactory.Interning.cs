using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

internal sealed partial class IrFactory
{
    /// <summary>
    /// Hash-conses a whole tree bottom-up: equal subtrees come back as the same objects, aggregates included
    /// (<see cref="InternAggregate"/>). Nested lambdas are left whole: only aggregates re-intern their own.
    /// </summary>
    public Expression InternTree(Expression node) => new TreeInterner(this).Visit(node)!;

    private sealed class TreeInterner(IrFactory ir) : ExpressionVisitor
    {
        private readonly Dictionary<Expression, Expression> _done = new(ReferenceEqualityComparer.Instance);

        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            if (_done.TryGetValue(node, out var known)) return known;
            var rebuilt = base.Visit(node)!;
            var canonical = rebuilt switch
            {
                ListAggregateExpression aggregate => ir.InternAggregate(aggregate),
                { NodeType: ExpressionType.Extension } => rebuilt,
                _ => ir.Intern(rebuilt),
            };
            _done[node] = canonical;
            return canonical;
        }

        // A nested lambda's parameters are scoped to it; leave it whole.
        protected override Expression VisitLambda<T>(Expression<T> node) => node;
    }
}

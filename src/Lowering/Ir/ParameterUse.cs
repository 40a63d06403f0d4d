using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

/// <summary>Which parameters an IR tree reads, walking each node of the DAG once (nested lambdas and aggregates included).</summary>
internal static class ParameterUse
{
    /// <summary>True when <paramref name="tree"/> reads one of <paramref name="parameters"/> anywhere.</summary>
    public static bool Mentions(Expression tree, IReadOnlyCollection<ParameterExpression> parameters)
    {
        var finder = new Finder(parameters);
        finder.Visit(tree);
        return finder.Found;
    }

    private sealed class Finder(IReadOnlyCollection<ParameterExpression> parameters) : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public bool Found { get; private set; }

        public override Expression? Visit(Expression? node) => Found || node is null || !_seen.Add(node) ? node : base.Visit(node);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (parameters.Contains(node)) Found = true;
            return node;
        }
    }
}

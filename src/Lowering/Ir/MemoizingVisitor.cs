using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

/// <summary>
/// An expression visitor for context-free rewrites of the IR, which is a DAG (hash-consing shares equal
/// subtrees by reference): each node object is rewritten once and a node reached again gets the same result,
/// so the work is linear in the DAG's size and sharing survives the rewrite. A tree walk of a DAG whose levels
/// each share the one below is exponential in its depth.
/// </summary>
internal abstract class MemoizingVisitor : ExpressionVisitor
{
    private readonly Dictionary<Expression, Expression> _done = new(ReferenceEqualityComparer.Instance);

    [return: NotNullIfNotNull(nameof(node))]
    public sealed override Expression? Visit(Expression? node)
    {
        if (node is null) return null;
        if (_done.TryGetValue(node, out var known)) return known;
        var rewritten = Rewrite(node);
        _done[node] = rewritten;
        return rewritten;
    }

    /// <summary>Rewrites one node the first time it is reached; <c>base.Visit</c> descends.</summary>
    protected virtual Expression Rewrite(Expression node) => base.Visit(node)!;
}

using System.Linq.Expressions;

namespace Dsl.Codegen.Compilation;

/// <summary>
/// An expression visitor that rewrites each distinct node object once: a node reached again (hash-consed IR
/// shares equal subtrees by reference) gets the same rewritten object, so sharing survives the rewrite.
/// </summary>
internal abstract class SharingVisitor : ExpressionVisitor
{
    private readonly Dictionary<Expression, Expression> _rewritten = new(ReferenceEqualityComparer.Instance);

    public override Expression? Visit(Expression? node)
    {
        if (node is null) return null;
        if (_rewritten.TryGetValue(node, out var done)) return done;
        var result = Rewrite(node);
        _rewritten[node] = result;
        return result;
    }

    /// <summary>Rewrites one node the first time it is reached; <c>base.Visit</c> descends.</summary>
    protected virtual Expression Rewrite(Expression node) => base.Visit(node)!;
}

/// <summary>
/// Replaces reducible extension nodes by their reductions (once per node object), except those the
/// caller wants to keep for special treatment.
/// </summary>
internal sealed class ExtensionReducer(Func<Expression, bool> keep) : SharingVisitor
{
    public static Expression Reduce(Expression node, Func<Expression, bool>? keep = null) =>
        new ExtensionReducer(keep ?? (static _ => false)).Visit(node)!;

    protected override Expression VisitExtension(Expression node)
    {
        if (keep(node)) return base.VisitExtension(node);
        if (!node.CanReduce) throw new NotSupportedException($"The IR node {node.GetType().Name} cannot be reduced to standard expressions.");
        return Visit(node.ReduceAndCheck())!;
    }
}

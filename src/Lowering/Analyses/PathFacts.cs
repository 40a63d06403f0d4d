using System.Collections.Immutable;
using System.Linq.Expressions;

namespace Dsl.Lowering.Analyses;

/// <summary>
/// The conditions known to hold where a node is evaluated: each branch condition taken on the way there,
/// decomposed (<c>a &amp;&amp; b</c> true gives <c>a</c> and <c>b</c>; <c>a || b</c> false gives <c>!a</c> and
/// <c>!b</c>; <c>!a</c> gives <c>a</c> false). Keys are hash-consed nodes compared by reference, so a fact
/// about <c>x.HasValue</c> applies to every occurrence of that node. Immutable.
/// </summary>
internal sealed class PathFacts
{
    public static PathFacts Empty { get; } = new(ImmutableDictionary.Create<Expression, bool>(ReferenceEqualityComparer.Instance));

    private readonly ImmutableDictionary<Expression, bool> _facts;

    private PathFacts(ImmutableDictionary<Expression, bool> facts) => _facts = facts;

    public int Count => _facts.Count;

    public IEnumerable<KeyValuePair<Expression, bool>> All => _facts;

    /// <summary>The known truth of <paramref name="condition"/> on this path, or null when unknown.</summary>
    public bool? TryGet(Expression condition)
    {
        if (_facts.TryGetValue(condition, out var value)) return value;
        if (condition is UnaryExpression { NodeType: ExpressionType.Not } not && not.Operand.Type == typeof(bool)
            && _facts.TryGetValue(not.Operand, out var inner))
            return !inner;
        return null;
    }

    /// <summary>These facts plus <paramref name="condition"/> == <paramref name="value"/> and what follows from it.</summary>
    public PathFacts Assume(Expression condition, bool value, Func<Expression, bool>? keep = null)
    {
        var builder = _facts.ToBuilder();
        Add(builder, condition, value, keep);
        return builder.Count == _facts.Count ? this : new PathFacts(builder.ToImmutable());
    }

    /// <summary>The facts that hold on both of two paths that meet.</summary>
    public PathFacts IntersectWith(PathFacts other)
    {
        if (ReferenceEquals(this, other)) return this;
        var builder = ImmutableDictionary.CreateBuilder<Expression, bool>(ReferenceEqualityComparer.Instance);
        foreach (var (key, value) in _facts)
            if (other._facts.TryGetValue(key, out var otherValue) && otherValue == value) builder.Add(key, value);
        return new PathFacts(builder.ToImmutable());
    }

    private static void Add(ImmutableDictionary<Expression, bool>.Builder builder, Expression condition, bool value, Func<Expression, bool>? keep)
    {
        if (condition is ConstantExpression) return;
        if (keep is null || keep(condition)) builder[condition] = value;
        switch (condition)
        {
            case UnaryExpression { NodeType: ExpressionType.Not } not when not.Operand.Type == typeof(bool):
                Add(builder, not.Operand, !value, keep);
                break;
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.And } conjunction when value && conjunction.Type == typeof(bool):
                Add(builder, conjunction.Left, true, keep);
                Add(builder, conjunction.Right, true, keep);
                break;
            case BinaryExpression { NodeType: ExpressionType.OrElse or ExpressionType.Or } disjunction when !value && disjunction.Type == typeof(bool):
                Add(builder, disjunction.Left, false, keep);
                Add(builder, disjunction.Right, false, keep);
                break;
        }
    }
}

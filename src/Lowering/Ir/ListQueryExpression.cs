using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

/// <summary>
/// A LINQ <c>Where</c>/<c>Select</c> chain over an array-typed value that has not yet met its aggregate
/// (<c>scores.Where(x =&gt; x &gt; 0)</c> before <c>.Sum()</c>). The intrinsic table builds it while the
/// interpreter walks the chain and folds it into a <see cref="ListAggregateExpression"/> at the aggregate.
/// </summary>
/// <remarks>
/// Invariant: the node's value is the sequence <c>source.Where(Filter).Select(Selector)</c> (each part optional),
/// typed <c>IEnumerable&lt;U&gt;</c>. Filter and selector are pure, so composing <c>Select(f).Where(p)</c> into
/// the filter <c>e =&gt; p(f(e))</c> and selector <c>f</c> is unobservable. If the chain escapes unaggregated,
/// <see cref="Reduce"/> gives the real <see cref="Enumerable"/> calls, which is exact (and lazy, like LINQ).
/// </remarks>
internal sealed class ListQueryExpression : Expression
{
    public ListQueryExpression(Expression source, LambdaExpression? filter, LambdaExpression? selector)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Type.IsSZArray) throw new ArgumentException($"A list query needs an array-typed source, not {source.Type}.", nameof(source));
        Source = source;
        Filter = filter;
        Selector = selector;
        ElementType = source.Type.GetElementType()!;
        ValueType = selector?.ReturnType ?? ElementType;
        Type = typeof(IEnumerable<>).MakeGenericType(ValueType);
    }

    /// <summary>The array-typed value (<c>T[]</c>).</summary>
    public Expression Source { get; }

    /// <summary><c>T → bool</c>, or null to take every element.</summary>
    public LambdaExpression? Filter { get; }

    /// <summary><c>T → U</c>, or null for the element itself.</summary>
    public LambdaExpression? Selector { get; }

    public Type ElementType { get; }

    public Type ValueType { get; }

    public override Type Type { get; }

    public override ExpressionType NodeType => ExpressionType.Extension;

    public override bool CanReduce => true;

    public override Expression Reduce()
    {
        Expression sequence = Source;
        if (Filter is not null) sequence = Call(typeof(Enumerable), nameof(Enumerable.Where), [ElementType], sequence, Filter);
        if (Selector is not null) sequence = Call(typeof(Enumerable), nameof(Enumerable.Select), [ElementType, ValueType], sequence, Selector);
        return Filter is null && Selector is null ? Convert(sequence, Type) : sequence;
    }

    protected override Expression VisitChildren(ExpressionVisitor visitor)
    {
        var source = visitor.Visit(Source);
        var filter = Filter is null ? null : (LambdaExpression)visitor.Visit(Filter);
        var selector = Selector is null ? null : (LambdaExpression)visitor.Visit(Selector);
        return source == Source && filter == Filter && selector == Selector ? this : new ListQueryExpression(source, filter, selector);
    }

    public override string ToString() =>
        $"{Source}{(Filter is null ? "" : $".Where({Filter})")}{(Selector is null ? "" : $".Select({Selector})")}";
}

using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

/// <summary>
/// A LINQ chain over a sequence that has not yet met its aggregate (<c>txns.Where(t =&gt; t.Amount &gt; 0)</c> before
/// <c>.Sum(…)</c>): <c>source.Skip(k).Where(filter).Select(selector)</c>, then optionally <c>Distinct()</c> or
/// <c>DefaultIfEmpty(v)</c>. The intrinsic table builds it while the interpreter walks the chain and folds it into a
/// <see cref="ListAggregateExpression"/> at the aggregate.
/// </summary>
/// <remarks>
/// Invariant: the node's value is that sequence, typed <c>IEnumerable&lt;U&gt;</c>. Filter and selector are pure, so
/// composing <c>Select(f).Where(p)</c> into the filter <c>e =&gt; p(f(e))</c> and selector <c>f</c> is unobservable.
/// If the chain escapes unaggregated, <see cref="Reduce"/> gives the real <see cref="Enumerable"/> calls, which is exact
/// (and lazy, like LINQ).
/// </remarks>
internal sealed class ListQueryExpression : Expression
{
    public ListQueryExpression(
        Expression source, LambdaExpression? filter, LambdaExpression? selector, int skip = 0, QueryShape shape = QueryShape.Other,
        bool distinct = false, Expression? defaultIfEmpty = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ElementType = SequenceTypes.ElementTypeOf(source.Type)
            ?? throw new ArgumentException($"A list query needs a sequence-typed source, not {source.Type}.", nameof(source));
        Source = source;
        Filter = filter;
        Selector = selector;
        Skip = skip;
        Shape = shape;
        Distinct = distinct;
        DefaultIfEmpty = defaultIfEmpty;
        ValueType = selector?.ReturnType ?? ElementType;
        if (defaultIfEmpty is not null && defaultIfEmpty.Type != ValueType) throw new ArgumentException("The default value must have the sequence's value type.", nameof(defaultIfEmpty));
        Type = typeof(IEnumerable<>).MakeGenericType(ValueType);
    }

    /// <summary>The sequence (<c>T[]</c>, <c>IReadOnlyList&lt;T&gt;</c>, …).</summary>
    public Expression Source { get; }

    /// <summary><c>T → bool</c>, or null to take every element.</summary>
    public LambdaExpression? Filter { get; }

    /// <summary><c>T → U</c>, or null for the element itself.</summary>
    public LambdaExpression? Selector { get; }

    /// <summary>Leading elements skipped (<c>Skip(k)</c> on the source).</summary>
    public int Skip { get; }

    public QueryShape Shape { get; }

    /// <summary><c>Distinct()</c> was applied last (only a count may follow).</summary>
    public bool Distinct { get; }

    /// <summary>The value of <c>DefaultIfEmpty(v)</c> applied last (<c>default(U)</c> for the overload without one), or null.</summary>
    public Expression? DefaultIfEmpty { get; }

    public Type ElementType { get; }

    public Type ValueType { get; }

    public override Type Type { get; }

    public override ExpressionType NodeType => ExpressionType.Extension;

    public override bool CanReduce => true;

    public override Expression Reduce()
    {
        Expression sequence = Source;
        if (Skip > 0) sequence = Call(typeof(Enumerable), nameof(Enumerable.Skip), [ElementType], sequence, Constant(Skip));
        if (Filter is not null) sequence = Call(typeof(Enumerable), nameof(Enumerable.Where), [ElementType], sequence, Filter);
        if (Selector is not null) sequence = Call(typeof(Enumerable), nameof(Enumerable.Select), [ElementType, ValueType], sequence, Selector);
        if (Distinct) sequence = Call(typeof(Enumerable), nameof(Enumerable.Distinct), [ValueType], sequence);
        if (DefaultIfEmpty is not null) sequence = Call(typeof(Enumerable), nameof(Enumerable.DefaultIfEmpty), [ValueType], sequence, DefaultIfEmpty);
        return sequence.Type == Type ? sequence : Convert(sequence, Type);
    }

    protected override Expression VisitChildren(ExpressionVisitor visitor)
    {
        var source = visitor.Visit(Source);
        var filter = Filter is null ? null : (LambdaExpression)visitor.Visit(Filter);
        var selector = Selector is null ? null : (LambdaExpression)visitor.Visit(Selector);
        var defaultValue = DefaultIfEmpty is null ? null : visitor.Visit(DefaultIfEmpty);
        return source == Source && filter == Filter && selector == Selector && defaultValue == DefaultIfEmpty
            ? this
            : new ListQueryExpression(source, filter, selector, Skip, Shape, Distinct, defaultValue);
    }

    public override string ToString() =>
        $"{Source}{(Skip > 0 ? $".Skip({Skip})" : "")}{(Filter is null ? "" : $".Where({Filter})")}{(Selector is null ? "" : $".Select({Selector})")}"
        + $"{(Distinct ? ".Distinct()" : "")}{(DefaultIfEmpty is null ? "" : $".DefaultIfEmpty({DefaultIfEmpty})")}";
}

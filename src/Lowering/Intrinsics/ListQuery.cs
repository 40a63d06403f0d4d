using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// A LINQ chain over a sequence being composed: one element parameter, the filter and the selected value as bodies
/// over it. <c>Where(p)</c> after a selector filters on <c>p(selector(e))</c>; <c>Select(f)</c> after a selector selects
/// <c>f(selector(e))</c>; two filters combine with <c>&amp;&amp;</c>, which evaluates the second only where the first
/// holds, as LINQ's nested iterators do. <c>Skip(k)</c> is accepted on the source only; <c>Distinct()</c> and
/// <c>DefaultIfEmpty(v)</c> end the chain (only an aggregate may follow).
/// </summary>
internal sealed record ListQuery(
    Expression Source, ParameterExpression Element, Expression? FilterBody, Expression? SelectorBody,
    int Skip = 0, QueryShape Shape = QueryShape.Source, bool Distinct = false, Expression? DefaultIfEmpty = null)
{
    public Expression Value => SelectorBody ?? Element;

    /// <summary>True once a LINQ operator ran on the source (it checked the source for null then).</summary>
    public bool IsChained => Shape != QueryShape.Source || Distinct || DefaultIfEmpty is not null;

    /// <summary>True when an operator that only an aggregate may follow (<c>Distinct</c>, <c>DefaultIfEmpty</c>) was applied.</summary>
    public bool IsClosed => Distinct || DefaultIfEmpty is not null;

    /// <summary>Reads the query an argument stands for: a sequence-typed value or a <see cref="ListQueryExpression"/>.</summary>
    public static ListQuery? From(Expression argument)
    {
        if (argument is ListQueryExpression pending)
        {
            var element = pending.Filter?.Parameters[0] ?? pending.Selector?.Parameters[0] ?? Expression.Parameter(pending.ElementType, "x");
            var selector = pending.Selector is null ? null : Substitute(pending.Selector, element);
            var filter = pending.Filter is null ? null : Substitute(pending.Filter, element);
            return new ListQuery(pending.Source, element, filter, selector, pending.Skip, pending.Shape, pending.Distinct, pending.DefaultIfEmpty);
        }

        // An argument converted to IEnumerable<T> (the parameter type of every LINQ method) is still its source.
        while (argument is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.TypeAs } convert
               && SequenceTypes.ElementTypeOf(convert.Operand.Type) is { } inner && inner == SequenceTypes.ElementTypeOf(argument.Type))
            argument = convert.Operand;
        return SequenceTypes.ElementTypeOf(argument.Type) is { } elementType
            ? new ListQuery(argument, Expression.Parameter(elementType, "x"), null, null)
            : null;
    }

    public ListQuery Where(LambdaExpression predicate)
    {
        Open();
        var condition = Substitute(predicate, Value);
        var shape = Shape is QueryShape.Source or QueryShape.Filtered ? QueryShape.Filtered : QueryShape.Other;
        return this with { FilterBody = FilterBody is null ? condition : Expression.AndAlso(FilterBody, condition), Shape = shape };
    }

    public ListQuery Select(LambdaExpression selector)
    {
        Open();
        var shape = Shape is QueryShape.Filtered or QueryShape.FilteredThenSelected ? QueryShape.FilteredThenSelected : QueryShape.Other;
        return this with { SelectorBody = Substitute(selector, Value), Shape = shape };
    }

    /// <summary><c>Skip(k)</c> directly on the source with a constant count (LINQ treats a negative count as 0).</summary>
    public ListQuery WithSkip(int count)
    {
        if (Shape != QueryShape.Source) throw new ArgumentException("Skip is lowered only directly on the source.");
        return this with { Skip = Math.Max(count, 0), Shape = QueryShape.Skipped };
    }

    public ListQuery WithDistinct()
    {
        Open();
        return this with { Distinct = true, Shape = QueryShape.Other };
    }

    public ListQuery WithDefault(Expression value)
    {
        Open();
        return this with { DefaultIfEmpty = value, Shape = QueryShape.Other };
    }

    public LambdaExpression? Filter => FilterBody is null ? null : Expression.Lambda(FilterBody, Element);

    public LambdaExpression? Selector => SelectorBody is null ? null : Expression.Lambda(SelectorBody, Element);

    public ListQueryExpression ToExpression() => new(Source, Filter, Selector, Skip, Shape, Distinct, DefaultIfEmpty);

    /// <summary>The origin facts of an aggregate ending this chain.</summary>
    public AggregateOrigin Origin(LastScan scan = LastScan.Forward) => new(ListNullSource.ThrowsArgumentNull, Skip, IsChained, scan);

    private void Open()
    {
        if (IsClosed) throw new ArgumentException("only an aggregate may follow Distinct() or DefaultIfEmpty() here.");
    }

    /// <summary>The body of a one-parameter lambda with its parameter replaced by <paramref name="value"/>.</summary>
    public static Expression Substitute(LambdaExpression lambda, Expression value) =>
        ParameterSubstitution.Replace(lambda.Body, [lambda.Parameters[0]], [value]);
}

using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// A <c>Where</c>/<c>Select</c> chain over an array being composed: one element parameter, the filter and the
/// selected value as bodies over it. <c>Where(p)</c> after a selector filters on <c>p(selector(e))</c>;
/// <c>Select(f)</c> after a selector selects <c>f(selector(e))</c>; two filters combine with <c>&amp;&amp;</c>, which
/// evaluates the second only where the first holds, as LINQ's nested iterators do.
/// </summary>
internal sealed record ListQuery(Expression Source, ParameterExpression Element, Expression? FilterBody, Expression? SelectorBody)
{
    public Expression Value => SelectorBody ?? Element;

    /// <summary>Reads the query an argument stands for: an array-typed value or a <see cref="ListQueryExpression"/>.</summary>
    public static ListQuery? From(Expression argument)
    {
        if (argument is ListQueryExpression pending)
        {
            var element = pending.Filter?.Parameters[0] ?? pending.Selector?.Parameters[0] ?? Expression.Parameter(pending.ElementType, "x");
            var selector = pending.Selector is null ? null : Substitute(pending.Selector, element);
            return new ListQuery(pending.Source, element, pending.Filter?.Body, selector);
        }

        while (argument is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.TypeAs } convert && !argument.Type.IsSZArray)
            argument = convert.Operand;
        return argument.Type.IsSZArray ? new ListQuery(argument, Expression.Parameter(argument.Type.GetElementType()!, "x"), null, null) : null;
    }

    public ListQuery Where(LambdaExpression predicate)
    {
        var condition = Substitute(predicate, Value);
        return this with { FilterBody = FilterBody is null ? condition : Expression.AndAlso(FilterBody, condition) };
    }

    public ListQuery Select(LambdaExpression selector) => this with { SelectorBody = Substitute(selector, Value) };

    public LambdaExpression? Filter => FilterBody is null ? null : Expression.Lambda(FilterBody, Element);

    public LambdaExpression? Selector => SelectorBody is null ? null : Expression.Lambda(SelectorBody, Element);

    public ListQueryExpression ToExpression() => new(Source, Filter, Selector);

    /// <summary>The body of a one-parameter lambda with its parameter replaced by <paramref name="value"/>.</summary>
    public static Expression Substitute(LambdaExpression lambda, Expression value) =>
        ParameterSubstitution.Replace(lambda.Body, [lambda.Parameters[0]], [value]);
}

using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

/// <summary>
/// An aggregate over the elements of an array-typed value (a list column): LINQ's <c>Sum</c>, <c>Count</c>,
/// <c>Min</c>, <c>Max</c>, <c>Average</c>, <c>Any</c>, <c>All</c>, <c>First</c>, <c>FirstOrDefault</c>,
/// <c>Contains</c> and <c>Aggregate(seed, func)</c> (a fold), after an optional <c>Where</c> filter and
/// <c>Select</c> selector.
/// </summary>
/// <remarks>
/// <para>Invariant: the node computes exactly what the LINQ call chain it came from computes, including the
/// exception type when that chain throws; <see cref="Reduce"/> spells it out as a plain loop (see
/// <c>ListAggregateExpression.Reduce.cs</c> for each kind's rules), so a scalar <c>Compile()</c> of any IR
/// holding this node is exact, and Codegen may generate its own loop over Arrow list offsets instead.</para>
/// <para>Elements are visited left to right. An element is <em>taken</em> when <see cref="Filter"/> is null or
/// returns true for it; the aggregated value of a taken element is <see cref="Selector"/> applied to it (or
/// the element itself). Filter and selector bodies are pure IR (no side effects), so evaluating a selector
/// inside a composed filter, as <c>Select(f).Where(p)</c> requires, is unobservable.</para>
/// </remarks>
internal sealed partial class ListAggregateExpression : Expression
{
    private ListAggregateExpression(
        ListAggregateKind kind, Expression source, LambdaExpression? filter, LambdaExpression? selector,
        Expression? argument, LambdaExpression? function, ListNullSource nullSource, Type type)
    {
        Kind = kind;
        NullSource = nullSource;
        Source = source;
        Filter = filter;
        Selector = selector;
        Argument = argument;
        Function = function;
        Type = type;
    }

    public ListAggregateKind Kind { get; }

    /// <summary>
    /// What a null source does: LINQ throws <see cref="ArgumentNullException"/>, the user's own loop over the array
    /// throws <see cref="NullReferenceException"/>, a span method sees an empty span. The other rules are LINQ's for
    /// every origin, so a loop's own arithmetic belongs in a <see cref="ListAggregateKind.Fold"/> accumulator (a loop
    /// that adds ints wraps around; LINQ's <c>Sum</c> is checked).
    /// </summary>
    public ListNullSource NullSource { get; }

    /// <summary>The array-typed value (<c>T[]</c>) aggregated; null makes the node throw <see cref="ArgumentNullException"/>.</summary>
    public Expression Source { get; }

    /// <summary>Elements taken (<c>T → bool</c>), from <c>Where</c> and from predicate overloads; null takes all.</summary>
    public LambdaExpression? Filter { get; }

    /// <summary>The value aggregated for a taken element (<c>T → U</c>), from <c>Select</c> and selector overloads.</summary>
    public LambdaExpression? Selector { get; }

    /// <summary><see cref="ListAggregateKind.Contains"/>: the value searched; <see cref="ListAggregateKind.Fold"/>: the seed.</summary>
    public Expression? Argument { get; }

    /// <summary><see cref="ListAggregateKind.All"/>: the test (<c>U → bool</c>); <see cref="ListAggregateKind.Fold"/>: the accumulator (<c>(A, U) → A</c>).</summary>
    public LambdaExpression? Function { get; }

    /// <summary>The source element type <c>T</c>.</summary>
    public Type ElementType => Source.Type.GetElementType()!;

    /// <summary>The aggregated value type <c>U</c>: the selector's result type, or <see cref="ElementType"/>.</summary>
    public Type ValueType => Selector?.ReturnType ?? ElementType;

    /// <summary>
    /// True when LINQ would aggregate the array itself as a span with vectorized checked addition: <c>Sum</c>
    /// of <c>int[]</c>/<c>long[]</c> and <c>Average</c> of <c>long[]</c> with no filter or selector. Those detect
    /// overflow per vector lane, not per prefix, so <see cref="Reduce"/> calls the <see cref="Enumerable"/> method
    /// itself and a code generator must do the same to stay exact.
    /// </summary>
    public bool UsesLinqVectorizedSum =>
        NullSource == ListNullSource.ThrowsArgumentNull && Filter is null && Selector is null
        && ((Kind == ListAggregateKind.Sum && (ElementType == typeof(int) || ElementType == typeof(long)))
            || (Kind == ListAggregateKind.Average && ElementType == typeof(long)));

    public override Type Type { get; }

    public override ExpressionType NodeType => ExpressionType.Extension;

    public override bool CanReduce => true;

    /// <summary>Creates a node, checking the shapes each kind requires.</summary>
    /// <exception cref="ArgumentException">The source is not an array, or a lambda or argument has the wrong shape or type for <paramref name="kind"/>.</exception>
    public static ListAggregateExpression Create(
        ListAggregateKind kind, Expression source, LambdaExpression? filter = null, LambdaExpression? selector = null,
        Expression? argument = null, LambdaExpression? function = null, ListNullSource nullSource = ListNullSource.ThrowsArgumentNull)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Type.IsSZArray) throw new ArgumentException($"A list aggregate needs an array-typed source, not {source.Type}.", nameof(source));
        var elementType = source.Type.GetElementType()!;
        if (filter is not null) RequireLambda(filter, [elementType], typeof(bool), nameof(filter));
        if (selector is not null) RequireLambda(selector, [elementType], selector.ReturnType, nameof(selector));
        var valueType = selector?.ReturnType ?? elementType;
        var type = ResultType(kind, valueType, argument, function);
        return new ListAggregateExpression(kind, source, filter, selector, argument, function, nullSource, type);
    }

    /// <summary>True when <paramref name="kind"/> can aggregate values of <paramref name="valueType"/> exactly.</summary>
    public static bool Supports(ListAggregateKind kind, Type valueType) => kind switch
    {
        ListAggregateKind.Sum or ListAggregateKind.Average or ListAggregateKind.Min or ListAggregateKind.Max =>
            valueType == typeof(int) || valueType == typeof(long) || valueType == typeof(float) || valueType == typeof(double),
        _ => true,
    };

    private static Type ResultType(ListAggregateKind kind, Type valueType, Expression? argument, LambdaExpression? function)
    {
        if (!Supports(kind, valueType)) throw new ArgumentException($"{kind} is not supported over {valueType}.");
        switch (kind)
        {
            case ListAggregateKind.Contains:
                if (argument is null || argument.Type != valueType) throw new ArgumentException($"Contains needs an argument of type {valueType}.", nameof(argument));
                return typeof(bool);
            case ListAggregateKind.All:
                if (function is null) throw new ArgumentException("All needs a test.", nameof(function));
                RequireLambda(function, [valueType], typeof(bool), nameof(function));
                return typeof(bool);
            case ListAggregateKind.Fold:
                if (argument is null || function is null) throw new ArgumentException("A fold needs a seed and an accumulator.");
                RequireLambda(function, [argument.Type, valueType], argument.Type, nameof(function));
                return argument.Type;
        }

        if (argument is not null || function is not null) throw new ArgumentException($"{kind} takes no argument or function.");
        return kind switch
        {
            ListAggregateKind.Count => typeof(int),
            ListAggregateKind.Any => typeof(bool),
            ListAggregateKind.Average when valueType == typeof(int) || valueType == typeof(long) => typeof(double),
            _ => valueType,
        };
    }

    private static void RequireLambda(LambdaExpression lambda, Type[] parameterTypes, Type returnType, string name)
    {
        var ok = lambda.Parameters.Count == parameterTypes.Length && lambda.ReturnType == returnType;
        for (var i = 0; ok && i < parameterTypes.Length; i++) ok = lambda.Parameters[i].Type == parameterTypes[i];
        if (!ok)
        {
            var expected = $"({string.Join(", ", parameterTypes.Select(t => t.Name))}) => {returnType.Name}";
            throw new ArgumentException($"The {name} lambda must be {expected}.", name);
        }
    }

    /// <summary>Returns this node when nothing changed, otherwise a new node with the given parts.</summary>
    public ListAggregateExpression Update(
        Expression source, LambdaExpression? filter, LambdaExpression? selector, Expression? argument, LambdaExpression? function)
    {
        if (source == Source && filter == Filter && selector == Selector && argument == Argument && function == Function) return this;
        return Create(Kind, source, filter, selector, argument, function, NullSource);
    }

    protected override Expression VisitChildren(ExpressionVisitor visitor) => Update(
        visitor.Visit(Source),
        VisitLambda(visitor, Filter),
        VisitLambda(visitor, Selector),
        Argument is null ? null : visitor.Visit(Argument),
        VisitLambda(visitor, Function));

    private static LambdaExpression? VisitLambda(ExpressionVisitor visitor, LambdaExpression? lambda) =>
        lambda is null ? null : (LambdaExpression)visitor.Visit(lambda);

    /// <summary>LINQ-like text: <c>xs.Where(x =&gt; (x &gt; 0)).Sum()</c>; a fold prints as <c>Aggregate</c>, a loop's node says so.</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder(Source.ToString());
        if (Filter is not null) text.Append($".Where({Filter})");
        if (Selector is not null) text.Append($".Select({Selector})");
        var arguments = new[] { Argument?.ToString(), Function?.ToString() }.Where(a => a is not null);
        text.Append($".{(Kind == ListAggregateKind.Fold ? "Aggregate" : Kind.ToString())}({string.Join(", ", arguments)})");
        return NullSource switch
        {
            ListNullSource.ThrowsNullReference => $"loop {text}",
            ListNullSource.IsEmpty => $"span {text}",
            _ => text.ToString(),
        };
    }
}

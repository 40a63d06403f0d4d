using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Ir;

/// <summary>
/// An aggregate over the elements of a sequence: a list column (<c>T[]</c>) or the related rows of a has-many relation
/// (<see cref="IReadOnlyList{T}"/>, <see cref="IEnumerable{T}"/>, <see cref="IList{T}"/>, <see cref="List{T}"/>, …
/// of an entity class). One node stands for a LINQ chain <c>source.Skip(k).Where(f).Select(s).Kind(…)</c>, a user's
/// loop over the source, or a catalogue statistic; <see cref="ListAggregateKind"/> lists the kinds.
/// </summary>
/// <remarks>
/// <para>Invariant: the node computes exactly what the chain or loop it came from computes, including the exception
/// type when that throws, for every runtime collection the static source type admits. <see cref="Reduce"/> spells
/// it out as plain loops (dispatching on the runtime collection where LINQ itself does), so a scalar
/// <c>Compile()</c> of any IR holding this node is exact; a code generator may compute it its own way (over Arrow
/// list offsets, or segmented over a related table's columns) following the rules in <c>docs/lowering.md</c>.</para>
/// <para>Elements are visited left to right, from index <see cref="Skip"/> (<see cref="LastScan"/> may scan from the
/// end). An element is <em>taken</em> when <see cref="Filter"/> is null or returns true for it; the value of a taken
/// element is <see cref="Selector"/> applied to it (or the element itself). Lambda bodies are pure IR; a read of an
/// element's member is <c>Expression.Property(element, p)</c> (or <c>Field</c> of a public field). Lambdas may read the
/// function's parameters, constants, captured closure fields and other aggregates that do not depend on their element
/// (hash-consed: the same node object as the standalone aggregate). Lambda parameters are canonical per type and
/// position (<see cref="IrFactory.InternAggregate"/>), so equal aggregates are one object.</para>
/// </remarks>
internal sealed partial class ListAggregateExpression : Expression
{
    private ListAggregateExpression(
        ListAggregateKind kind, Expression source, LambdaExpression? filter, LambdaExpression? selector, Expression? argument,
        LambdaExpression? function, AggregateOrigin origin, Type elementType, Type type)
    {
        Kind = kind;
        Source = source;
        Filter = filter;
        Selector = selector;
        Argument = argument;
        Function = function;
        Origin = origin;
        ElementType = elementType;
        Type = type;
    }

    public ListAggregateKind Kind { get; }

    /// <summary>The sequence aggregated: a value of a type <see cref="SequenceTypes"/> accepts (a parameter, a closure field, an array value).</summary>
    public Expression Source { get; }

    /// <summary>Elements taken (<c>T → bool</c>), from <c>Where</c> and from predicate overloads; null takes all.</summary>
    public LambdaExpression? Filter { get; }

    /// <summary>The value aggregated for a taken element (<c>T → U</c>), from <c>Select</c> and selector overloads.</summary>
    public LambdaExpression? Selector { get; }

    /// <summary>
    /// <see cref="ListAggregateKind.Contains"/>: the value searched; <see cref="ListAggregateKind.Fold"/>: the seed;
    /// <see cref="ListAggregateKind.FirstOrDefault"/>/<see cref="ListAggregateKind.LastOrDefault"/>: the default value (optional);
    /// <see cref="ListAggregateKind.Percentile"/>: the fraction. Evaluated once, before any element is visited.
    /// </summary>
    public Expression? Argument { get; }

    /// <summary>
    /// <see cref="ListAggregateKind.All"/>: the test (<c>U → bool</c>); <see cref="ListAggregateKind.Fold"/>: the
    /// accumulator (<c>(A, U) → A</c>); <see cref="ListAggregateKind.MinBy"/>/<see cref="ListAggregateKind.MaxBy"/>: the key (<c>U → K</c>).
    /// </summary>
    public LambdaExpression? Function { get; }

    /// <summary>Where the node came from and the LINQ details that depend on it (null source, skipped prefix, scan order, catalogue method).</summary>
    public AggregateOrigin Origin { get; }

    /// <summary>What a null source does: see <see cref="ListNullSource"/>.</summary>
    public ListNullSource NullSource => Origin.NullSource;

    /// <summary>How many leading elements are not visited (a <c>for</c> loop from index k, LINQ <c>Skip(k)</c>); 0 by default.</summary>
    public int Skip => Origin.Skip;

    /// <summary><see cref="ListAggregateKind.Last"/>/<see cref="ListAggregateKind.LastOrDefault"/>: where LINQ looks for the last value.</summary>
    public LastScan LastScan => Origin.LastScan;

    /// <summary>The catalogue method a statistic kind calls (its reference semantics), null for the LINQ kinds.</summary>
    public MethodInfo? Method => Origin.Method;

    /// <summary>The source element type <c>T</c>.</summary>
    public Type ElementType { get; }

    /// <summary>The aggregated value type <c>U</c>: the selector's result type, or <see cref="ElementType"/>.</summary>
    public Type ValueType => Selector?.ReturnType ?? ElementType;

    /// <summary>True when the source is array-typed, so every runtime value is a <c>T[]</c> (a list column).</summary>
    public bool IsOverArray => Source.Type.IsSZArray;

    public override Type Type { get; }

    public override ExpressionType NodeType => ExpressionType.Extension;

    public override bool CanReduce => true;

    /// <summary>Creates a node, checking the shapes each kind requires.</summary>
    /// <exception cref="ArgumentException">The source is not a sequence, or a lambda or argument has the wrong shape or type for <paramref name="kind"/>.</exception>
    public static ListAggregateExpression Create(
        ListAggregateKind kind, Expression source, LambdaExpression? filter = null, LambdaExpression? selector = null,
        Expression? argument = null, LambdaExpression? function = null, ListNullSource nullSource = ListNullSource.ThrowsArgumentNull,
        AggregateOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var elementType = SequenceTypes.ElementTypeOf(source.Type)
            ?? throw new ArgumentException($"A list aggregate needs a sequence-typed source (T[], IEnumerable<T>, IReadOnlyList<T>, IList<T>, List<T>), not {source.Type}.", nameof(source));
        var facts = origin ?? new AggregateOrigin(nullSource);
        if (facts.Skip < 0) throw new ArgumentException("Skip must not be negative.", nameof(origin));
        if (facts.NullSource == ListNullSource.IsEmpty && !source.Type.IsSZArray) throw new ArgumentException("Only an array (a span) reads null as empty.", nameof(nullSource));
        if (filter is not null) RequireLambda(filter, [elementType], typeof(bool), nameof(filter));
        if (selector is not null) RequireLambda(selector, [elementType], selector.ReturnType, nameof(selector));
        var valueType = selector?.ReturnType ?? elementType;
        var type = ResultType(kind, valueType, argument, function, facts);
        return new ListAggregateExpression(kind, source, filter, selector, argument, function, facts, elementType, type);
    }

    /// <summary>True when <paramref name="kind"/> can aggregate values of <paramref name="valueType"/> exactly.</summary>
    public static bool Supports(ListAggregateKind kind, Type valueType) => kind switch
    {
        ListAggregateKind.Sum or ListAggregateKind.Average => AggregateTypes.IsSummable(valueType),
        ListAggregateKind.Min or ListAggregateKind.Max => AggregateTypes.IsOrdered(valueType),
        ListAggregateKind.CountDistinct => AggregateTypes.HasValueEquality(valueType),
        _ => true,
    };

    private static Type ResultType(ListAggregateKind kind, Type valueType, Expression? argument, LambdaExpression? function, AggregateOrigin origin)
    {
        if (!Supports(kind, valueType)) throw new ArgumentException($"{kind} is not supported over {valueType}.");
        if (origin.Method is not null) return StatisticType(kind, valueType, argument, function, origin.Method);
        if (kind >= ListAggregateKind.VarianceSample) throw new ArgumentException($"{kind} needs the catalogue method that defines it.");
        switch (kind)
        {
            case ListAggregateKind.Contains:
                RequireArgument(argument, valueType, kind);
                return NoFunction(function, kind, typeof(bool));
            case ListAggregateKind.All:
                if (function is null) throw new ArgumentException("All needs a test.", nameof(function));
                RequireLambda(function, [valueType], typeof(bool), nameof(function));
                return NoArgument(argument, kind, typeof(bool));
            case ListAggregateKind.Fold:
                if (argument is null || function is null) throw new ArgumentException("A fold needs a seed and an accumulator.");
                RequireLambda(function, [argument.Type, valueType], argument.Type, nameof(function));
                return argument.Type;
            case ListAggregateKind.MinBy or ListAggregateKind.MaxBy:
                if (function is null || function.Parameters.Count != 1) throw new ArgumentException($"{kind} needs a key selector.", nameof(function));
                RequireLambda(function, [valueType], function.ReturnType, nameof(function));
                if (!AggregateTypes.IsOrdered(function.ReturnType))
                    throw new ArgumentException($"{kind} keys of type {function.ReturnType} have no culture-independent order.");
                return NoArgument(argument, kind, valueType);
            case ListAggregateKind.FirstOrDefault or ListAggregateKind.LastOrDefault:
                if (argument is not null) RequireArgument(argument, valueType, kind);
                return NoFunction(function, kind, valueType);
        }

        var type = kind switch
        {
            ListAggregateKind.Count or ListAggregateKind.CountDistinct => typeof(int),
            ListAggregateKind.LongCount => typeof(long),
            ListAggregateKind.Any => typeof(bool),
            ListAggregateKind.Average => AggregateTypes.AverageType(valueType),
            _ => valueType,
        };
        return NoFunction(function, kind, NoArgument(argument, kind, type));
    }

    /// <summary>A statistic's result: its catalogue method, which takes the values (and for a percentile the fraction).</summary>
    private static Type StatisticType(ListAggregateKind kind, Type valueType, Expression? argument, LambdaExpression? function, MethodInfo method)
    {
        if (kind < ListAggregateKind.VarianceSample) throw new ArgumentException($"{kind} is a LINQ kind; only statistics call a catalogue method.");
        var parameters = method.GetParameters();
        var wantsFraction = kind == ListAggregateKind.Percentile && parameters.Length == 2;
        if (!method.IsStatic || parameters.Length is < 1 or > 2 || parameters[0].ParameterType != typeof(IEnumerable<>).MakeGenericType(valueType)
            || (parameters.Length == 2 && (!wantsFraction || parameters[1].ParameterType != argument?.Type)))
            throw new ArgumentException($"{method.Name} must be a static method over IEnumerable<{valueType.Name}>{(kind == ListAggregateKind.Percentile ? " (and the fraction)" : "")}.");
        if (kind == ListAggregateKind.Percentile && argument?.Type != typeof(double)) throw new ArgumentException("A percentile needs its fraction (a double).", nameof(argument));
        if (kind != ListAggregateKind.Percentile && argument is not null) throw new ArgumentException($"{kind} takes no argument.", nameof(argument));
        return NoFunction(function, kind, method.ReturnType);
    }

    private static void RequireArgument(Expression? argument, Type type, ListAggregateKind kind)
    {
        if (argument is null || argument.Type != type) throw new ArgumentException($"{kind} needs an argument of type {type}.", nameof(argument));
    }

    private static Type NoArgument(Expression? argument, ListAggregateKind kind, Type type) =>
        argument is null ? type : throw new ArgumentException($"{kind} takes no argument.", nameof(argument));

    private static Type NoFunction(LambdaExpression? function, ListAggregateKind kind, Type type) =>
        function is null ? type : throw new ArgumentException($"{kind} takes no function.", nameof(function));

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

    /// <summary>Returns this node when nothing changed, otherwise a new node with the given parts (same kind and origin).</summary>
    public ListAggregateExpression Update(
        Expression source, LambdaExpression? filter, LambdaExpression? selector, Expression? argument, LambdaExpression? function)
    {
        if (source == Source && filter == Filter && selector == Selector && argument == Argument && function == Function) return this;
        return Create(Kind, source, filter, selector, argument, function, origin: Origin);
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
        if (Skip > 0) text.Append($".Skip({Skip})");
        if (Filter is not null) text.Append($".Where({Filter})");
        if (Selector is not null) text.Append($".Select({Selector})");
        var name = Kind switch
        {
            ListAggregateKind.Fold => "Aggregate",
            ListAggregateKind.CountDistinct => "Distinct().Count",
            _ when Method is not null => Method.Name,
            _ => Kind.ToString(),
        };
        var arguments = new[] { Argument?.ToString(), Function?.ToString() }.Where(a => a is not null);
        text.Append($".{name}({string.Join(", ", arguments)})");
        if (LastScan != LastScan.Forward) text.Append($" [{LastScan}]");
        return NullSource switch
        {
            ListNullSource.ThrowsNullReference => $"loop {text}",
            ListNullSource.IsEmpty => $"span {text}",
            _ => text.ToString(),
        };
    }
}

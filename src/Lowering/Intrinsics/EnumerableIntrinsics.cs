using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// LINQ over sequences (list columns <c>T[]</c>, related rows <c>IReadOnlyList&lt;T&gt;</c>, <c>IEnumerable&lt;T&gt;</c>, …)
/// with lambdas the front end has lowered. <c>Where</c>, <c>Select</c>, <c>Skip</c> (a constant count, on the source),
/// <c>Distinct</c> and <c>DefaultIfEmpty</c> (a constant value) build a <see cref="ListQueryExpression"/>; <c>Sum</c>,
/// <c>Count</c>, <c>LongCount</c>, <c>Min</c>, <c>Max</c>, <c>Average</c>, <c>Any</c>, <c>All</c>, <c>First</c>,
/// <c>FirstOrDefault</c>, <c>Last</c>, <c>LastOrDefault</c>, <c>MinBy</c>, <c>MaxBy</c>, <c>Contains</c> and
/// <c>Aggregate(seed, func)</c>, with their predicate, selector and default-value overloads, end it in a
/// <see cref="ListAggregateExpression"/>; <c>Distinct().Count()</c> is <see cref="ListAggregateKind.CountDistinct"/>.
/// </summary>
/// <remarks>
/// A delegate argument must reach the table as a <see cref="LambdaExpression"/> (the lowered lambda); a delegate
/// constant is opaque and refused (<c>linq-lambda</c>). Overloads with an index or a comparer are not intrinsics. Orders
/// that depend on the culture (<c>Min</c>, <c>Max</c>, <c>MinBy</c>, <c>MaxBy</c> over strings) are refused (<c>culture</c>);
/// other shapes an aggregate cannot take exactly are refused with <c>linq</c> and the reason.
/// </remarks>
internal static class EnumerableIntrinsics
{
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        if (method.DeclaringType != typeof(Enumerable) || method is not MethodInfo info || arguments.Count is < 1 or > 3)
            return IntrinsicCall.NotIntrinsic;
        var parameters = info.GetParameters();
        if (arguments.Count != parameters.Length || ListQuery.From(arguments[0]) is not { } query) return IntrinsicCall.NotIntrinsic;
        if (parameters[0].ParameterType != typeof(IEnumerable<>).MakeGenericType(query.Value.Type)) return IntrinsicCall.NotIntrinsic;

        var lambdas = new LambdaExpression?[arguments.Count];
        for (var i = 1; i < arguments.Count; i++)
        {
            if (!typeof(Delegate).IsAssignableFrom(parameters[i].ParameterType)) continue;
            if (TryGetLambda(arguments[i], parameters[i].ParameterType) is not { } lambda)
                return IntrinsicCall.Refused("linq-lambda", $"The lambda passed to {ExactCall.Describe(method)} was not lowered; only lambdas lowered to IR can run inside a list aggregate.");
            lambdas[i] = lambda;
        }

        if (IsCultureOrdered(info, query, lambdas))
            return IntrinsicCall.Refused("culture", $"{ExactCall.Describe(method)} orders strings with the current culture's comparer.");
        try
        {
            return new Call(info, arguments, query, lambdas).Lower() is { } lowered && lowered.Type == info.ReturnType
                ? IntrinsicCall.Lowered(lowered)
                : IntrinsicCall.NotIntrinsic;
        }
        catch (ArgumentException unsupported)
        {
            return IntrinsicCall.Refused("linq", $"{ExactCall.Describe(method)}: {unsupported.Message}");
        }
    }

    /// <summary><c>Min</c>/<c>Max</c> of strings and <c>MinBy</c>/<c>MaxBy</c> with string keys use <c>Comparer&lt;string&gt;.Default</c>, the current culture.</summary>
    private static bool IsCultureOrdered(MethodInfo method, ListQuery query, LambdaExpression?[] lambdas) => method.Name switch
    {
        nameof(Enumerable.Min) or nameof(Enumerable.Max) => (lambdas.Length == 2 ? lambdas[1]?.ReturnType : query.Value.Type) == typeof(string),
        nameof(Enumerable.MinBy) or nameof(Enumerable.MaxBy) => lambdas.Length == 2 && lambdas[1]?.ReturnType == typeof(string),
        _ => false,
    };

    /// <summary>One call being lowered: the method, its arguments, the query it continues and its lambdas.</summary>
    private sealed class Call(MethodInfo method, IReadOnlyList<Expression> arguments, ListQuery query, LambdaExpression?[] lambdas)
    {
        /// <summary>The single one-parameter lambda of a two-argument overload, or null.</summary>
        private LambdaExpression? Single => lambdas.Length == 2 && lambdas[1] is { Parameters.Count: 1 } lambda ? lambda : null;

        private LambdaExpression? Predicate => Single is { } lambda && lambda.ReturnType == typeof(bool) ? lambda : null;

        private bool NoArguments => arguments.Count == 1;

        public Expression? Lower()
        {
            if (query.Distinct) return AfterDistinct();
            if (query.DefaultIfEmpty is not null) return AfterDefaultIfEmpty();
            switch (method.Name)
            {
                case nameof(Enumerable.Where) when Predicate is { } predicate:
                    return query.Where(predicate).ToExpression();
                case nameof(Enumerable.Select) when Single is { } selector:
                    return query.Select(selector).ToExpression();
                case nameof(Enumerable.Skip) when arguments.Count == 2:
                    return arguments[1] is ConstantExpression { Value: int count } ? query.WithSkip(count).ToExpression() : null;
                case nameof(Enumerable.Distinct) when NoArguments:
                    return query.WithDistinct().ToExpression();
                case nameof(Enumerable.DefaultIfEmpty) when arguments.Count <= 2:
                    var value = NoArguments ? Expression.Default(query.Value.Type) : ExactCall.Coerce(arguments[1], query.Value.Type);
                    return value is ConstantExpression or DefaultExpression ? query.WithDefault(value).ToExpression() : null;
                case nameof(Enumerable.Sum) or nameof(Enumerable.Min) or nameof(Enumerable.Max) or nameof(Enumerable.Average) when NoArguments || Single is not null:
                    return Aggregate(KindOf(method.Name), Single is null ? query : query.Select(Single), query.Origin());
                case nameof(Enumerable.Count) or nameof(Enumerable.LongCount) or nameof(Enumerable.Any) when NoArguments || Predicate is not null:
                    return Aggregate(KindOf(method.Name), Predicate is null ? query : query.Where(Predicate), query.Origin());
                case nameof(Enumerable.First) or nameof(Enumerable.FirstOrDefault) or nameof(Enumerable.Last) or nameof(Enumerable.LastOrDefault):
                    return Positional();
                case nameof(Enumerable.All) when Predicate is { } test:
                    return Aggregate(ListAggregateKind.All, query, query.Origin(), function: test);
                case nameof(Enumerable.Contains) when arguments.Count == 2:
                    return ExactCall.Coerce(arguments[1], query.Value.Type) is { } sought ? Aggregate(ListAggregateKind.Contains, query, query.Origin(), argument: sought) : null;
                case nameof(Enumerable.MinBy) or nameof(Enumerable.MaxBy) when Single is { } key:
                    return Aggregate(KindOf(method.Name), query, query.Origin(), function: key);
                case nameof(Enumerable.Aggregate) when arguments.Count == 3 && lambdas[2] is { Parameters.Count: 2 } folder:
                    return ExactCall.Coerce(arguments[1], folder.ReturnType) is { } seed ? Aggregate(ListAggregateKind.Fold, query, query.Origin(), argument: seed, function: folder) : null;
                default:
                    return null;
            }
        }

        /// <summary>
        /// <c>First</c>, <c>Last</c> and their <c>OrDefault</c> forms, with or without a predicate and a default value.
        /// <c>Last</c> scans from the end as LINQ does for the chain written (<see cref="LastScan"/>).
        /// </summary>
        private Expression? Positional()
        {
            var kind = KindOf(method.Name);
            var parameters = method.GetParameters();
            var predicate = parameters.Length >= 2 && lambdas[1] is { ReturnType: var r } p && r == typeof(bool) ? p : null;
            var hasDefault = parameters.Length == (predicate is null ? 2 : 3);
            if (parameters.Length >= 2 && predicate is null && !hasDefault) return null;
            Expression? defaultValue = null;
            if (hasDefault && (defaultValue = ExactCall.Coerce(arguments[^1], query.Value.Type)) is null) return null;
            var isLast = kind is ListAggregateKind.Last or ListAggregateKind.LastOrDefault;
            var scan = !isLast ? LastScan.Forward
                : predicate is not null ? (query.Shape is QueryShape.Source or QueryShape.Skipped ? LastScan.BackwardOverIList : LastScan.Forward)
                : query.Shape is QueryShape.Filtered or QueryShape.FilteredThenSelected ? LastScan.BackwardOverArrayOrList : LastScan.Forward;
            // A predicate overload is an argument of the same call: it does not check the source before the default value.
            var taken = predicate is null ? query : query.Where(predicate);
            return Aggregate(kind, taken, query.Origin(scan), argument: defaultValue);
        }

        /// <summary><c>Distinct()</c> is followed only by <c>Count()</c>: the number of distinct values.</summary>
        private Expression AfterDistinct() => method.Name == nameof(Enumerable.Count) && NoArguments
            ? Aggregate(ListAggregateKind.CountDistinct, query with { Distinct = false }, query.Origin())
            : throw new ArgumentException($"only Count() is lowered after Distinct(), not {method.Name}.");

        /// <summary>
        /// <c>DefaultIfEmpty(v).K()</c> for a constant <c>v</c> and <c>K</c> a sum, count, extreme, average or first: <c>Any ? K(query) : K([v])</c>. <c>Any</c> runs the filter
        /// up to the first value taken, as the iterator's first step does, and never the selector; <c>K</c> then runs
        /// filter and selector in LINQ's order, so a failing evaluation fails at the same element; <c>K([v])</c> is a constant.
        /// </summary>
        private Expression AfterDefaultIfEmpty()
        {
            if (!NoArguments || KindOf(method.Name) is not (ListAggregateKind.Sum or ListAggregateKind.Min or ListAggregateKind.Max or ListAggregateKind.Average
                    or ListAggregateKind.Count or ListAggregateKind.LongCount or ListAggregateKind.First or ListAggregateKind.FirstOrDefault)
                || query.DefaultIfEmpty is not { } fallback)
                throw new ArgumentException($"{method.Name}({string.Join(", ", arguments.Skip(1).Select(a => a.Type.Name))}) after DefaultIfEmpty() is not lowered.");
            var kind = KindOf(method.Name);
            var values = query with { DefaultIfEmpty = null };
            var single = Array.CreateInstance(values.Value.Type, 1);
            single.SetValue(fallback is ConstantExpression constant ? constant.Value : null, 0);
            var ofDefault = ListAggregateExpression.Create(kind, Expression.Constant(single));
            if (!ConstantEvaluator.TryEvaluate(ofDefault, out var folded)) throw new ArgumentException($"{method.Name} of the default value throws.");
            var any = ListAggregateExpression.Create(ListAggregateKind.Any, values.Source, values.Filter, origin: values.Origin());
            return Expression.Condition(any, Aggregate(kind, values, values.Origin()), Expression.Constant(folded, ofDefault.Type));
        }

        private static ListAggregateKind KindOf(string name) =>
            Enum.TryParse<ListAggregateKind>(name, out var kind) && Enum.IsDefined(kind) ? kind : throw new ArgumentException($"{name} is not an aggregate.");

        /// <summary>The aggregate over <paramref name="values"/> (the query with the call's own predicate or selector applied), with the origin of the query before them.</summary>
        private static ListAggregateExpression Aggregate(
            ListAggregateKind kind, ListQuery values, AggregateOrigin origin, Expression? argument = null, LambdaExpression? function = null) =>
            ListAggregateExpression.Create(kind, values.Source, values.Filter, values.Selector, argument, function, origin: origin);
    }

    /// <summary>The lowered lambda for a delegate parameter, retyped to the parameter's delegate type if needed.</summary>
    private static LambdaExpression? TryGetLambda(Expression argument, Type delegateType)
    {
        if (argument is UnaryExpression { NodeType: ExpressionType.Quote } quote) argument = quote.Operand;
        if (argument is not LambdaExpression lambda) return null;
        if (lambda.Type == delegateType) return lambda;
        var invoke = delegateType.GetMethod("Invoke")!;
        var parameters = invoke.GetParameters();
        if (invoke.ReturnType != lambda.ReturnType || parameters.Length != lambda.Parameters.Count) return null;
        for (var i = 0; i < parameters.Length; i++)
            if (parameters[i].ParameterType != lambda.Parameters[i].Type) return null;
        return Expression.Lambda(delegateType, lambda.Body, lambda.Name, lambda.Parameters);
    }
}

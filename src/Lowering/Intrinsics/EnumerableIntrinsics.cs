using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// LINQ over array-typed values with lambdas the interpreter has lowered: <c>Where</c> and <c>Select</c> build a
/// <see cref="ListQueryExpression"/>; <c>Sum</c>, <c>Count</c>, <c>Min</c>, <c>Max</c>, <c>Average</c>, <c>Any</c>,
/// <c>All</c>, <c>First</c>, <c>FirstOrDefault</c>, <c>Contains</c> and <c>Aggregate(seed, func)</c> (with or without
/// a predicate/selector argument) end it in a <see cref="ListAggregateExpression"/>.
/// </summary>
/// <remarks>
/// A delegate argument must reach the table as a <see cref="LambdaExpression"/> (the lowered static lambda); a
/// delegate constant is opaque and refused (<c>linq-lambda</c>). Sources other than arrays, overloads with an index
/// or a comparer, and element types an aggregate cannot handle exactly (nullable elements for <c>Sum</c>) are not
/// lowered.
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

        try
        {
            return Lower(info, arguments, query, lambdas) is { } lowered && lowered.Type == info.ReturnType
                ? IntrinsicCall.Lowered(lowered)
                : IntrinsicCall.NotIntrinsic;
        }
        catch (ArgumentException unsupported)
        {
            return IntrinsicCall.Refused("linq", $"{ExactCall.Describe(method)}: {unsupported.Message}");
        }
    }

    private static Expression? Lower(MethodInfo method, IReadOnlyList<Expression> arguments, ListQuery query, LambdaExpression?[] lambdas)
    {
        var single = lambdas.Length == 2 && lambdas[1] is { Parameters.Count: 1 } ? lambdas[1] : null;
        switch (method.Name)
        {
            case nameof(Enumerable.Where) when single is not null && single.ReturnType == typeof(bool):
                return query.Where(single).ToExpression();
            case nameof(Enumerable.Select) when single is not null:
                return query.Select(single).ToExpression();
            case nameof(Enumerable.Sum) or nameof(Enumerable.Min) or nameof(Enumerable.Max) or nameof(Enumerable.Average)
                when arguments.Count == 1 || single is not null:
                return Aggregate(KindOf(method.Name), single is null ? query : query.Select(single));
            case nameof(Enumerable.Count) or nameof(Enumerable.Any) or nameof(Enumerable.First) or nameof(Enumerable.FirstOrDefault)
                when arguments.Count == 1 || (single is not null && single.ReturnType == typeof(bool)):
                return Aggregate(KindOf(method.Name), single is null ? query : query.Where(single));
            case nameof(Enumerable.All) when single is not null:
                return Aggregate(ListAggregateKind.All, query, function: Reparameterize(single, query.Value.Type));
            case nameof(Enumerable.Contains) when arguments.Count == 2:
                return ExactCall.Coerce(arguments[1], query.Value.Type) is { } value ? Aggregate(ListAggregateKind.Contains, query, argument: value) : null;
            case nameof(Enumerable.Aggregate) when arguments.Count == 3 && lambdas[2] is { Parameters.Count: 2 } folder:
                return ExactCall.Coerce(arguments[1], folder.ReturnType) is { } seed ? Aggregate(ListAggregateKind.Fold, query, argument: seed, function: folder) : null;
            default:
                return null;
        }
    }

    private static ListAggregateKind KindOf(string name) => Enum.Parse<ListAggregateKind>(name);

    private static ListAggregateExpression Aggregate(ListAggregateKind kind, ListQuery query, Expression? argument = null, LambdaExpression? function = null) =>
        ListAggregateExpression.Create(kind, query.Source, query.Filter, query.Selector, argument, function);

    private static LambdaExpression Reparameterize(LambdaExpression lambda, Type parameterType) =>
        lambda.Parameters[0].Type == parameterType ? lambda : throw new ArgumentException($"The lambda takes {lambda.Parameters[0].Type}, the sequence holds {parameterType}.");

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

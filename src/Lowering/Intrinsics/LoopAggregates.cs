using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// IR for the user's own loops over a sequence (an array, or related rows as <c>IReadOnlyList&lt;T&gt;</c>,
/// <c>IEnumerable&lt;T&gt;</c>, <c>List&lt;T&gt;</c>), once the interpreter has recognised one (<c>foreach</c>, or
/// <c>for (var i = k; i &lt; xs.Length/Count; i++)</c> reading <c>xs[i]</c>) and executed its body once with symbolic
/// element and loop-carried variables. The results are <see cref="ListAggregateExpression"/>s with
/// <see cref="ListNullSource.ThrowsNullReference"/> (a null source throws where the loop reads its length or enumerator)
/// and the loop's own arithmetic (unchecked adds wrap around).
/// </summary>
internal static class LoopAggregates
{
    private static readonly AggregateOrigin s_loop = new(ListNullSource.ThrowsNullReference);

    /// <summary>The most loop-carried variables one fold takes.</summary>
    public const int MaxVariables = 32;

    /// <summary>
    /// A fold: <c>acc₁ … accₙ = seeds; foreach element: accᵢ = nextᵢ(acc, element)</c>. Returns the final value of each
    /// loop-carried variable. Several variables travel together in one <see cref="ValueTuple"/> accumulator (nested
    /// through <c>Rest</c> past seven), so the returned expressions share one aggregate node (read its items).
    /// </summary>
    /// <param name="source">The sequence.</param>
    /// <param name="element">The body's symbol for the current element (type <c>T</c>).</param>
    /// <param name="accumulators">The body's symbols for the loop-carried variables at the top of an iteration.</param>
    /// <param name="seeds">Their values before the loop.</param>
    /// <param name="next">Their values at the end of an iteration, over <paramref name="element"/> and <paramref name="accumulators"/>.</param>
    /// <param name="origin">The loop's facts (its skipped prefix); a plain loop by default.</param>
    /// <param name="seal">
    /// Wraps an iteration's result so it first replays the iteration's possibly-throwing evaluations in the loop's
    /// order (see <c>EffectLog.Seal</c>); identity by default (the body can throw nothing).
    /// </param>
    /// <exception cref="ArgumentException">The lists differ in length, a type does not match, or there are more than <see cref="MaxVariables"/>.</exception>
    public static IReadOnlyList<Expression> Fold(
        Expression source, ParameterExpression element, IReadOnlyList<ParameterExpression> accumulators,
        IReadOnlyList<Expression> seeds, IReadOnlyList<Expression> next, AggregateOrigin? origin = null, Func<Expression, Expression>? seal = null)
    {
        if (accumulators.Count == 0 || accumulators.Count != seeds.Count || accumulators.Count != next.Count)
            throw new ArgumentException("A fold needs one seed and one next value per loop-carried variable.");
        if (accumulators.Count > MaxVariables) throw new ArgumentException($"A fold carries at most {MaxVariables} variables.");
        for (var i = 0; i < accumulators.Count; i++)
        {
            if (seeds[i].Type != accumulators[i].Type || next[i].Type != accumulators[i].Type)
                throw new ArgumentException($"Loop variable {accumulators[i].Name} is {accumulators[i].Type}; its seed or next value is not.");
        }

        seal ??= static value => value;
        origin ??= s_loop;
        if (accumulators.Count == 1)
        {
            var function = Expression.Lambda(seal(next[0]), accumulators[0], element);
            return [Aggregate(ListAggregateKind.Fold, source, argument: seeds[0], function: function, origin: origin)];
        }

        var tupleType = TupleType(accumulators.Select(a => a.Type).ToArray());
        var state = Expression.Parameter(tupleType, "state");
        var items = accumulators.Select((_, i) => Item(state, i)).ToArray();
        var step = Replace(seal(NewTuple(tupleType, next.ToArray())), accumulators, items);
        var fold = Aggregate(ListAggregateKind.Fold, source, argument: NewTuple(tupleType, seeds.ToArray()), function: Expression.Lambda(step, state, element), origin: origin);
        return accumulators.Select((_, i) => Item(fold, i)).ToArray();
    }

    /// <summary><c>ValueTuple&lt;…&gt;</c> of the types; past seven the eighth argument is the tuple of the rest.</summary>
    private static Type TupleType(Type[] types) => types.Length switch
    {
        1 => typeof(ValueTuple<>).MakeGenericType(types),
        2 => typeof(ValueTuple<,>).MakeGenericType(types),
        3 => typeof(ValueTuple<,,>).MakeGenericType(types),
        4 => typeof(ValueTuple<,,,>).MakeGenericType(types),
        5 => typeof(ValueTuple<,,,,>).MakeGenericType(types),
        6 => typeof(ValueTuple<,,,,,>).MakeGenericType(types),
        7 => typeof(ValueTuple<,,,,,,>).MakeGenericType(types),
        _ => typeof(ValueTuple<,,,,,,,>).MakeGenericType([.. types[..7], TupleType(types[7..])]),
    };

    private static Expression NewTuple(Type type, Expression[] values)
    {
        var arguments = values.Length <= 7 ? values : [.. values[..7], NewTuple(type.GetGenericArguments()[7], values[7..])];
        return Expression.New(type.GetConstructors().Single(), arguments);
    }

    /// <summary>Item <paramref name="index"/> (from 0) of a tuple built by <see cref="NewTuple"/>.</summary>
    private static Expression Item(Expression tuple, int index) =>
        index < 7 ? Expression.Field(tuple, $"Item{index + 1}") : Item(Expression.Field(tuple, "Rest"), index - 7);

    /// <summary>
    /// A search: <c>foreach element: if (condition) return result; … otherwise</c>. Lowered as
    /// <c>Any(condition) ? result(First(condition)) : otherwise</c>; see <see cref="Search"/>.
    /// </summary>
    public static Expression FirstMatch(Expression source, ParameterExpression element, Expression condition, Expression result, Expression otherwise, AggregateOrigin? origin = null)
    {
        if (result.Type != otherwise.Type) throw new ArgumentException("The result and the value after the loop must have the same type.", nameof(otherwise));
        var (found, value) = Search(source, element, condition, result, origin);
        return Expression.Condition(found, value, otherwise);
    }

    /// <summary>
    /// The two halves of a search: whether some element satisfies <paramref name="condition"/> (<c>Any</c>), and
    /// <paramref name="result"/> for the first one (the element replaced by <c>First(condition)</c>). Both scans evaluate
    /// the pure condition on the same elements in the same order, so a throwing condition throws at the same element,
    /// and the result is evaluated once, on the element where the loop would return.
    /// </summary>
    public static (Expression Found, Expression Value) Search(Expression source, ParameterExpression element, Expression condition, Expression result, AggregateOrigin? origin = null)
    {
        if (condition.Type != typeof(bool)) throw new ArgumentException("The condition must be a bool.", nameof(condition));
        origin ??= s_loop;
        var filter = condition is ConstantExpression { Value: true } ? null : Expression.Lambda(condition, element);
        var any = Aggregate(ListAggregateKind.Any, source, filter: filter, origin: origin);
        if (!Mentions(result, element)) return (any, result);
        var first = Aggregate(ListAggregateKind.First, source, filter: filter, origin: origin);
        return (any, Replace(result, [element], [first]));
    }

    /// <summary>A count or other LINQ-shaped aggregate for a loop: like LINQ except that a null source throws <see cref="NullReferenceException"/>.</summary>
    public static ListAggregateExpression Aggregate(
        ListAggregateKind kind, Expression source, LambdaExpression? filter = null, LambdaExpression? selector = null,
        Expression? argument = null, LambdaExpression? function = null, AggregateOrigin? origin = null) =>
        ListAggregateExpression.Create(kind, source, filter, selector, argument, function, origin: origin ?? s_loop);

    private static Expression Replace(Expression body, IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> values) =>
        ParameterSubstitution.Replace(body, parameters, values);

    private static bool Mentions(Expression tree, ParameterExpression symbol) => ParameterUse.Mentions(tree, [symbol]);
}

using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// The BCL methods lowering understands: for a call the CIL interpreter met, the IR that computes it exactly,
/// a refusal with the reason (culture, clock, time zone, I/O, randomness), or <see cref="IntrinsicCall.NotIntrinsic"/>.
/// </summary>
/// <remarks>
/// Invariant: a lowered call computes the same value as the original call for every input, and throws the same
/// exception type where it throws. Most entries keep the very same method in the IR (<see cref="ExactCall"/>), so
/// exactness holds by construction; rewrites (<c>double.IsNaN(x)</c> to <c>x != x</c>, LINQ chains to
/// <see cref="ListAggregateExpression"/>) are made only where they are provably identical. Families are asked in
/// order; the first that lowers or refuses decides. The rules for each case are in <c>docs/lowering.md</c>.
/// </remarks>
internal static class IntrinsicTable
{
    private static readonly IntrinsicLowering[] s_families =
    [
        ForbiddenCalls.TryLower,
        NanSignObservers.TryLower,
        NanConstantMinMax.TryLower,
        FormattingIntrinsics.TryLower,
        MathIntrinsics.TryLower,
        NumericIntrinsics.TryLower,
        ConvertIntrinsics.TryLower,
        StringIntrinsics.TryLower,
        StringSwitchHash.TryLower,
        TemporalIntrinsics.TryLower,
        EnumerableIntrinsics.TryLower,
        CatalogueAggregateIntrinsics.TryLower,
        CollectionIntrinsics.TryLower,
        SpanIntrinsics.TryLower,
        TupleIntrinsics.TryLower,
    ];

    /// <summary>Lowers one call; <paramref name="instance"/> is null for static methods and constructors.</summary>
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(arguments);
        if (method.DeclaringType is null || method.ContainsGenericParameters) return IntrinsicCall.NotIntrinsic;
        foreach (var family in s_families)
        {
            var answer = family(method, instance, arguments);
            if (answer.IsLowered || answer.Unsupported is not null) return answer;
        }

        return IntrinsicCall.NotIntrinsic;
    }

    /// <summary>
    /// The IR for element <paramref name="index"/> of an array value the interpreter reads with <c>ldelem</c>,
    /// when the array is one the table knows better than a plain <see cref="Expression.ArrayIndex(Expression, Expression)"/>:
    /// <c>text.Split(...)[i]</c> becomes a <see cref="SplitPartExpression"/>. Null when there is nothing special.
    /// </summary>
    public static Expression? TryLowerArrayElement(Expression array, Expression index) =>
        array is MethodCallExpression { Method.Name: nameof(string.Split) } split && split.Method.DeclaringType == typeof(string) && index.Type == typeof(int)
            ? new SplitPartExpression(split, index)
            : null;
}

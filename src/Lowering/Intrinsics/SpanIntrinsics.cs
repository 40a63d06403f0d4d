using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Spans over arrays. Since C# 14, <c>array.Contains(v)</c> binds to <c>MemoryExtensions.Contains</c> over the
/// array's implicit <see cref="ReadOnlySpan{T}"/>, not to LINQ. The conversion stays as it is, and <c>Contains</c>
/// on a span of an array becomes a <see cref="ListAggregateKind.Contains"/> aggregate whose null array is an empty
/// span (<see cref="ListNullSource.IsEmpty"/>); elements compare with <c>IEquatable&lt;T&gt;.Equals</c>, which for
/// every element type matches <c>EqualityComparer&lt;T&gt;.Default</c> (NaN equals NaN, +0 equals -0).
/// </summary>
internal static class SpanIntrinsics
{
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var type = method.DeclaringType!;
        var isSpan = type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>) || type.GetGenericTypeDefinition() == typeof(Span<>));
        if (isSpan && method.Name == "op_Implicit" && arguments is [{ Type.IsSZArray: true }])
            return ExactCall.Lower(method, instance, arguments);
        if (type != typeof(MemoryExtensions)) return IntrinsicCall.NotIntrinsic;
        if (method.Name == nameof(MemoryExtensions.AsSpan) && arguments is [{ Type.IsSZArray: true }])
            return ExactCall.Lower(method, instance, arguments);
        if (method.Name == nameof(MemoryExtensions.Contains) && arguments.Count == 2 && ArrayOf(arguments[0]) is { } array
            && ExactCall.Coerce(arguments[1], array.Type.GetElementType()!) is { } value)
            return IntrinsicCall.Lowered(ListAggregateExpression.Create(ListAggregateKind.Contains, array, argument: value, nullSource: ListNullSource.IsEmpty));
        return IntrinsicCall.NotIntrinsic;
    }

    /// <summary>The array a span expression views whole, or null.</summary>
    private static Expression? ArrayOf(Expression span) => span switch
    {
        UnaryExpression { NodeType: ExpressionType.Convert, Method.Name: "op_Implicit", Operand.Type.IsSZArray: true } convert => convert.Operand,
        MethodCallExpression { Method.Name: nameof(MemoryExtensions.AsSpan), Arguments: [{ Type.IsSZArray: true } array] } call
            when call.Method.DeclaringType == typeof(MemoryExtensions) => array,
        _ => null,
    };
}

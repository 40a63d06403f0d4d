using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Dsl.Lowering.Intrinsics;

/// <summary><see cref="ValueTuple"/> construction (<c>new (a, b)</c>, <c>ValueTuple.Create</c>): a pure value, kept as is.</summary>
internal static class TupleIntrinsics
{
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var type = method.DeclaringType!;
        var isTuple = type == typeof(ValueTuple) || (type.IsGenericType && typeof(ITuple).IsAssignableFrom(type) && type.IsValueType
            && type.Namespace == "System" && type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal));
        if (!isTuple) return IntrinsicCall.NotIntrinsic;
        return method is ConstructorInfo || (method.IsStatic && method.Name == nameof(ValueTuple.Create))
            ? ExactCall.Lower(method, instance, arguments)
            : IntrinsicCall.NotIntrinsic;
    }
}

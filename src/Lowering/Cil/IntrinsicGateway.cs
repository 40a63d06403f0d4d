using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Intrinsics;

namespace Dsl.Lowering.Cil;

/// <summary>
/// The interpreter's one door to the intrinsic table (<see cref="IntrinsicTable"/>): results are hash-consed
/// on the way in, so a call met on two paths is one node and path facts keyed by it apply to both.
/// </summary>
internal static class IntrinsicGateway
{
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments, Ir.IrFactory ir)
    {
        var answer = IntrinsicTable.TryLower(method, instance, arguments);
        return answer.IsLowered ? IntrinsicCall.Lowered(ir.InternTree(answer.Value!)) : answer;
    }

    /// <summary>Element <paramref name="index"/> of an array value: the table's special form when it has one, else <c>array[index]</c>.</summary>
    public static Expression ArrayElement(Expression array, Expression index, Ir.IrFactory ir) =>
        IntrinsicTable.TryLowerArrayElement(array, index) is { } special ? ir.InternTree(special) : ir.ArrayIndex(array, index);
}

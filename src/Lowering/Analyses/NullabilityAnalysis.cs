using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Analyses;

/// <summary>
/// Computes a node's <see cref="Nullability"/> from its shape and the path facts where it is evaluated.
/// Invariant: the answer is never wrong; <see cref="Nullability.Maybe"/> when unsure.
/// </summary>
internal static class NullabilityAnalysis
{
    public static Nullability Of(Expression node, PathFacts facts, IrFactory ir)
    {
        var type = node.Type;
        var isNullableValue = Nullable.GetUnderlyingType(type) is not null;
        if (type.IsValueType && !isNullableValue) return Nullability.Never;
        switch (node)
        {
            case ConstantExpression constant:
                return constant.Value is null ? Nullability.Always : Nullability.Never;
            case DefaultExpression:
                return Nullability.Always;
            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert:
                return convert.Operand.Type.IsValueType && Nullable.GetUnderlyingType(convert.Operand.Type) is null
                    ? Nullability.Never
                    : Of(convert.Operand, facts, ir);
            case NewExpression or NewArrayExpression:
                return Nullability.Never;
            case ConditionalExpression conditional:
                var whenTrue = Of(conditional.IfTrue, facts, ir);
                var whenFalse = Of(conditional.IfFalse, facts, ir);
                return whenTrue == whenFalse ? whenTrue : Nullability.Maybe;
            case BinaryExpression { NodeType: ExpressionType.Coalesce } coalesce:
                return Of(coalesce.Left, facts, ir) == Nullability.Never || Of(coalesce.Right, facts, ir) == Nullability.Never
                    ? Nullability.Never
                    : Nullability.Maybe;
            case BinaryExpression { IsLiftedToNull: true } lifted:
                var left = Of(lifted.Left, facts, ir);
                var right = Of(lifted.Right, facts, ir);
                if (left == Nullability.Always || right == Nullability.Always) return Nullability.Always;
                return left == Nullability.Never && right == Nullability.Never ? Nullability.Never : Nullability.Maybe;
            case MethodCallExpression { Method.Name: nameof(string.Concat) } call when call.Method.DeclaringType == typeof(string):
                return Nullability.Never;
        }

        var known = isNullableValue ? facts.TryGet(ir.HasValueNode(node)) : facts.TryGet(ir.NullTestNode(node)) is { } isNull ? !isNull : null;
        return known switch
        {
            true => Nullability.Never,
            false => Nullability.Always,
            null => Nullability.Maybe,
        };
    }
}

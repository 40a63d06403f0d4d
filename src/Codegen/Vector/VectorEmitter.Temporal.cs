using System.Linq.Expressions;

namespace Dsl.Codegen.Vector;

/// <summary>
/// DateTime and TimeSpan operators over tick lanes: comparisons compare ticks (as the operators do, ignoring
/// DateTime.Kind); DateTime − DateTime subtracts ticks (valid ticks cannot overflow); TimeSpan ± TimeSpan is
/// a checked add (OverflowException lanes fail); DateTime ± TimeSpan fails where the ticks leave the DateTime
/// range (ArgumentOutOfRangeException). Every other user-defined operator stays in the row loop.
/// </summary>
internal sealed partial class VectorEmitter
{
    private static readonly long s_maxTicks = DateTime.MaxValue.Ticks;

    private VectorValue TemporalOperator(BinaryExpression node)
    {
        var method = node.Method!;
        var parameters = method.GetParameters();
        if (method.DeclaringType is not { } declaring || !VectorTypes.IsTemporal(declaring) || parameters.Length != 2)
        {
            throw new NotVectorizableException($"operator {method.DeclaringType?.Name}.{method.Name}");
        }

        var left = Emit(node.Left);
        var right = Emit(node.Right);
        var valid = ValidAnd(left.Valid, right.Valid);
        var errors = ErrorOr(left.Errors, right.Errors);
        var leftType = parameters[0].ParameterType;
        var rightType = parameters[1].ParameterType;
        switch (method.Name)
        {
            case "op_Equality" or "op_Inequality" or "op_LessThan" or "op_LessThanOrEqual" or "op_GreaterThan" or "op_GreaterThanOrEqual" when leftType == rightType:
                return Comparison(node, left, right, errors);
            case "op_Subtraction" when leftType == typeof(DateTime) && rightType == typeof(DateTime):
                return new VectorValue(node.Type, Let(_shape.Call("Subtract", typeof(long), left.Values, right.Values), "elapsed"), valid, errors);
            case "op_Addition" or "op_Subtraction" when leftType == typeof(TimeSpan) && rightType == typeof(TimeSpan):
                return CheckedAddSubtract(node, left, right, valid, errors);
            case "op_Addition" or "op_Subtraction" when leftType == typeof(DateTime) && rightType == typeof(TimeSpan):
                var ticks = Let(_shape.Call(method.Name == "op_Addition" ? "Add" : "Subtract", typeof(long), left.Values, right.Values), "moved");

                // Valid ticks lie in [0, MaxTicks]; the wrapped sum read unsigned exceeds MaxTicks exactly when the true one leaves that range.
                var outside = Let(AsMask(_shape.Call("GreaterThan", typeof(ulong), _shape.As(ticks, typeof(ulong)), _shape.Splat(typeof(ulong), Expression.Constant((ulong)s_maxTicks)))), "outOfRange");
                return new VectorValue(node.Type, ticks, valid, ErrorOr(errors, ErrorWhere(outside, valid)));
            default:
                throw new NotVectorizableException($"operator {declaring.Name}.{method.Name}");
        }
    }
}

using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>
    /// The stack-normal form of a value, as IL sees it: <c>sbyte</c>..<c>ushort</c> and <c>char</c> widen to
    /// <c>int</c>, enums become their underlying type; <c>bool</c>, <c>uint</c> and the rest stay.
    /// </summary>
    private Expression Normalize(Expression value)
    {
        var type = value.Type;
        if (type.IsEnum) return Normalize(_ir.Convert(value, Enum.GetUnderlyingType(type)));
        if (type == typeof(sbyte) || type == typeof(byte) || type == typeof(short) || type == typeof(ushort) || type == typeof(char))
            return _ir.Convert(value, typeof(int));
        return value;
    }

    /// <summary>
    /// Converts a stack value to a slot of type <paramref name="target"/> (local, argument, parameter, return)
    /// the way IL stores it: integers truncate or reinterpret, <c>0/1</c> become <c>bool</c>, a value wraps into
    /// <c>T?</c>, null takes the reference type. Anything else is not valid IL from C# and falls back.
    /// </summary>
    private Expression CoerceToSlot(Expression value, Type target, MethodFrameInfo where)
    {
        if (value.Type == target) return value;
        if (value is AddressValue)
            throw new LoweringFailure("pointer", "a managed pointer escapes into a variable", where.Method, where.Offset);
        if (target == typeof(bool)) return AsBool(value, where);
        if (value.Type == typeof(bool) && IsIntegerLike(target))
            return _ir.Convert(_ir.Condition(value, _ir.Constant(1, typeof(int)), _ir.Constant(0, typeof(int))), target);
        if (IsIntegerLike(target) && IsIntegerLike(value.Type)) return _ir.Convert(value, target);
        if (IrFactory.IsFloating(target) && (IrFactory.IsFloating(value.Type) || IsIntegerLike(value.Type))) return _ir.Convert(value, target);
        if (Nullable.GetUnderlyingType(target) is { } underlying && !value.Type.IsByRef)
        {
            if (value is ConstantExpression { Value: null }) return _ir.Constant(null, target);
            return _ir.Convert(CoerceToSlot(value, underlying, where), target);
        }

        if (!target.IsValueType)
        {
            if (value is ConstantExpression { Value: null }) return _ir.Constant(null, target);
            if (target.IsAssignableFrom(value.Type)) return _ir.Convert(value, target);
        }

        throw new LoweringFailure("type-mismatch", $"cannot store a {value.Type.Name} into a {target.Name} slot", where.Method, where.Offset);
    }

    private static int IntegerSize(Type type) => Type.GetTypeCode(type.IsEnum ? Enum.GetUnderlyingType(type) : type) switch
    {
        TypeCode.SByte or TypeCode.Byte or TypeCode.Boolean => 1,
        TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Char => 2,
        TypeCode.Int32 or TypeCode.UInt32 => 4,
        _ => 8,
    };

    private static bool IsIntegerLike(Type type) =>
        type.IsEnum || type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong) || type == typeof(short)
        || type == typeof(ushort) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(char);

    /// <summary>A stack value as a branch condition: non-zero integers and non-null references are true.</summary>
    private Expression AsBool(Expression value, MethodFrameInfo where)
    {
        if (value.Type == typeof(bool)) return value;
        if (value is ConstantExpression { Value: int i }) return _ir.Constant(i != 0, typeof(bool));
        if (value is ConstantExpression { Value: null } && !value.Type.IsValueType) return _ir.False;
        if (IsIntegerLike(value.Type)) return _ir.Compare(ExpressionType.NotEqual, value, _ir.Constant(Activator.CreateInstance(value.Type), value.Type));
        if (value is UnaryExpression { NodeType: ExpressionType.Convert } boxed && boxed.Type == typeof(object) && boxed.Operand.Type.IsValueType)
            return Nullable.GetUnderlyingType(boxed.Operand.Type) is null ? _ir.True : _ir.HasValue(boxed.Operand, Analyses.PathFacts.Empty, operandEvaluatedAnyway: true);
        if (!value.Type.IsValueType) return _ir.Not(_ir.Compare(ExpressionType.Equal, value, _ir.Constant(null, value.Type)));
        throw new LoweringFailure("type-mismatch", $"cannot use a {value.Type.Name} as a condition", where.Method, where.Offset);
    }

    /// <summary>
    /// Makes two values that meet at a join the same type: <c>bool</c> vs <c>int</c> (C# pushes <c>0</c>/<c>1</c>
    /// for literal booleans), <c>T</c> vs <c>T?</c>, null vs a reference type, two references to a common base.
    /// </summary>
    private (Expression, Expression) ReconcileTypes(Expression a, Expression b)
    {
        if (a.Type == b.Type) return (a, b);
        var where = new MethodFrameInfo(_callStack.Count > 0 ? _callStack.Peek() : null!, 0);
        if (a.Type == typeof(bool) && b is ConstantExpression) return (a, AsBool(b, where));
        if (b.Type == typeof(bool) && a is ConstantExpression) return (AsBool(a, where), b);
        if (a.Type == typeof(bool) && IsIntegerLike(b.Type)) return (CoerceToSlot(a, b.Type, where), b);
        if (b.Type == typeof(bool) && IsIntegerLike(a.Type)) return (a, CoerceToSlot(b, a.Type, where));
        if (Nullable.GetUnderlyingType(a.Type) == b.Type || b is ConstantExpression { Value: null }) return (a, CoerceToSlot(b, a.Type, where));
        if (Nullable.GetUnderlyingType(b.Type) == a.Type || a is ConstantExpression { Value: null }) return (CoerceToSlot(a, b.Type, where), b);
        if (!a.Type.IsValueType && !b.Type.IsValueType)
        {
            if (a.Type.IsAssignableFrom(b.Type)) return (a, _ir.Convert(b, a.Type));
            if (b.Type.IsAssignableFrom(a.Type)) return (_ir.Convert(a, b.Type), b);
            return (_ir.Convert(a, typeof(object)), _ir.Convert(b, typeof(object)));
        }

        if (IsIntegerLike(a.Type) && IsIntegerLike(b.Type) && IntegerSize(a.Type) == IntegerSize(b.Type))
            return (a, _ir.Convert(b, a.Type));
        throw new LoweringFailure("type-mismatch", $"two paths meet with a {a.Type.Name} and a {b.Type.Name} in the same slot", where.Method);
    }
}

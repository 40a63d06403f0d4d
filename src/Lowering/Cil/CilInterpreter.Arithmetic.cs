using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>How an IL operator reads the bits of its integer operands.</summary>
    private enum Signedness
    {
        /// <summary>The result bits do not depend on it (add, sub, mul, and, or, xor, shl).</summary>
        Agnostic,
        Signed,
        Unsigned,
    }

    private bool TryArithmetic(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var where = frame.At(instruction.Offset);
        var name = instruction.OpCode.Name!;
        (ExpressionType Kind, Signedness Sign)? binary = name switch
        {
            "add" => (ExpressionType.Add, Signedness.Agnostic),
            "sub" => (ExpressionType.Subtract, Signedness.Agnostic),
            "mul" => (ExpressionType.Multiply, Signedness.Agnostic),
            "div" => (ExpressionType.Divide, Signedness.Signed),
            "div.un" => (ExpressionType.Divide, Signedness.Unsigned),
            "rem" => (ExpressionType.Modulo, Signedness.Signed),
            "rem.un" => (ExpressionType.Modulo, Signedness.Unsigned),
            "and" => (ExpressionType.And, Signedness.Agnostic),
            "or" => (ExpressionType.Or, Signedness.Agnostic),
            "xor" => (ExpressionType.ExclusiveOr, Signedness.Agnostic),
            "shl" => (ExpressionType.LeftShift, Signedness.Agnostic),
            "shr" => (ExpressionType.RightShift, Signedness.Signed),
            "shr.un" => (ExpressionType.RightShift, Signedness.Unsigned),
            "add.ovf" => (ExpressionType.AddChecked, Signedness.Signed),
            "add.ovf.un" => (ExpressionType.AddChecked, Signedness.Unsigned),
            "sub.ovf" => (ExpressionType.SubtractChecked, Signedness.Signed),
            "sub.ovf.un" => (ExpressionType.SubtractChecked, Signedness.Unsigned),
            "mul.ovf" => (ExpressionType.MultiplyChecked, Signedness.Signed),
            "mul.ovf.un" => (ExpressionType.MultiplyChecked, Signedness.Unsigned),
            _ => null,
        };
        if (binary is { } op)
        {
            var right = state.Pop(where);
            var left = state.Pop(where);
            state.Push(Arithmetic(op.Kind, op.Sign, left, right, where));
            return true;
        }

        if (name is "neg" or "not")
        {
            var operand = state.Pop(where);
            if (operand.Type == typeof(bool)) operand = CoerceToSlot(operand, typeof(int), where);
            RequireNumeric(operand, where);
            state.Push(name == "neg" ? _ir.Fold(_ir.Intern(Expression.Negate(operand))) : _ir.Fold(_ir.Intern(Expression.OnesComplement(operand))));
            return true;
        }

        return false;
    }

    /// <summary>A binary IL operator on two stack values with the operand types IL implies.</summary>
    private Expression Arithmetic(ExpressionType kind, Signedness sign, Expression left, Expression right, MethodFrameInfo where)
    {
        var isBitwise = kind is ExpressionType.And or ExpressionType.Or or ExpressionType.ExclusiveOr;
        if (isBitwise && left.Type == typeof(bool) && right.Type == typeof(bool))
            return _ir.Fold(_ir.Intern(Expression.MakeBinary(kind, left, right)));
        if (left.Type == typeof(bool)) left = CoerceToSlot(left, typeof(int), where);
        if (right.Type == typeof(bool)) right = CoerceToSlot(right, typeof(int), where);
        RequireNumeric(left, where);
        RequireNumeric(right, where);
        if (kind is ExpressionType.LeftShift or ExpressionType.RightShift)
        {
            var shifted = WithSign(left, sign);
            var amount = CoerceToSlot(right, typeof(int), where);
            return _ir.Fold(_ir.Intern(Expression.MakeBinary(kind, shifted, amount)));
        }

        (left, right) = SameOperandType(left, right, sign, where);
        return _ir.Fold(_ir.Intern(Expression.MakeBinary(kind, left, right)));
    }

    /// <summary>Brings two integer or floating operands to one CLR type, reading their bits as <paramref name="sign"/> says.</summary>
    private (Expression, Expression) SameOperandType(Expression left, Expression right, Signedness sign, MethodFrameInfo where)
    {
        if (IrFactory.IsFloating(left.Type) || IrFactory.IsFloating(right.Type))
        {
            if (!IrFactory.IsFloating(left.Type) || !IrFactory.IsFloating(right.Type))
                throw new LoweringFailure("type-mismatch", "integer and floating operands without a conversion", where.Method, where.Offset);
            if (left.Type == right.Type) return (left, right);
            return (_ir.Convert(left, typeof(double)), _ir.Convert(right, typeof(double)));
        }

        if (IntegerSize(left.Type) != IntegerSize(right.Type))
            throw new LoweringFailure("native-int", "operands of different widths (native integers are not supported)", where.Method, where.Offset);
        if (sign != Signedness.Agnostic) return (WithSign(left, sign), WithSign(right, sign));
        if (left.Type == right.Type) return (left, right);
        // Agnostic operators give the same bits either way: keep the type of the non-constant operand.
        return left is ConstantExpression ? (_ir.Convert(left, right.Type), right) : (left, _ir.Convert(right, left.Type));
    }

    /// <summary>Reinterprets an integer stack value as signed or unsigned (same width).</summary>
    private Expression WithSign(Expression value, Signedness sign)
    {
        if (sign == Signedness.Agnostic || IrFactory.IsFloating(value.Type)) return value;
        var isLong = IntegerSize(value.Type) == 8;
        var target = sign == Signedness.Signed ? (isLong ? typeof(long) : typeof(int)) : (isLong ? typeof(ulong) : typeof(uint));
        return _ir.Convert(value, target);
    }

    private static void RequireNumeric(Expression value, MethodFrameInfo where)
    {
        if (!IsIntegerLike(value.Type) && !IrFactory.IsFloating(value.Type))
            throw new LoweringFailure(value.Type == typeof(IntPtr) || value.Type == typeof(UIntPtr) ? "native-int" : "type-mismatch",
                $"arithmetic on a {value.Type.Name}", where.Method, where.Offset);
    }

    private bool TryConversion(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var name = instruction.OpCode.Name!;
        if (!name.StartsWith("conv.", StringComparison.Ordinal)) return false;
        var where = frame.At(instruction.Offset);
        var isChecked = name.StartsWith("conv.ovf.", StringComparison.Ordinal);
        var sourceUnsigned = name.EndsWith(".un", StringComparison.Ordinal);
        var targetName = name[(isChecked ? "conv.ovf.".Length : "conv.".Length)..];
        if (sourceUnsigned) targetName = targetName[..^3];
        var value = state.Pop(where);
        if (value.Type == typeof(bool)) value = CoerceToSlot(value, typeof(int), where);
        RequireNumeric(value, where);
        Type target = targetName switch
        {
            "i1" => typeof(sbyte),
            "u1" => typeof(byte),
            "i2" => typeof(short),
            "u2" => typeof(ushort),
            "i4" => typeof(int),
            "u4" => typeof(uint),
            "i8" => typeof(long),
            "u8" => typeof(ulong),
            "r4" => typeof(float),
            "r8" => typeof(double),
            "r" => typeof(double),
            "i" or "u" when value is UnaryExpression { NodeType: ExpressionType.ArrayLength } => typeof(int),
            _ => throw new LoweringFailure("native-int", $"conversion '{name}' to a native integer", where.Method, where.Offset),
        };
        // How the source's bits are read: checked conversions and conv.r.un say it (.un); an unchecked conversion
        // to an unsigned type zero-extends, to a signed or floating type sign-extends.
        var readUnsigned = isChecked || name == "conv.r.un" ? sourceUnsigned : target == typeof(byte) || target == typeof(ushort) || target == typeof(uint) || target == typeof(ulong);
        if (!IrFactory.IsFloating(value.Type)) value = WithSign(value, readUnsigned ? Signedness.Unsigned : Signedness.Signed);
        state.Push(Normalize(_ir.Convert(value, target, isChecked)));
        return true;
    }
}

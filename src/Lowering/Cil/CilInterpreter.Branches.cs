using System.Linq.Expressions;
using System.Reflection.Emit;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    private bool TryComparison(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        (ExpressionType Kind, bool Un)? comparison = instruction.OpCode.Name switch
        {
            "ceq" => (ExpressionType.Equal, false),
            "cgt" => (ExpressionType.GreaterThan, false),
            "cgt.un" => (ExpressionType.GreaterThan, true),
            "clt" => (ExpressionType.LessThan, false),
            "clt.un" => (ExpressionType.LessThan, true),
            _ => null,
        };
        if (comparison is not { } op) return false;
        var where = frame.At(instruction.Offset);
        var right = state.Pop(where);
        var left = state.Pop(where);
        state.Push(Comparison(op.Kind, op.Un, left, right, where));
        return true;
    }

    /// <summary>
    /// An IL comparison as a <c>bool</c> node. <paramref name="un"/> means unsigned for integers and unordered for
    /// floats (true when either side is NaN): <c>clt.un a b</c> on doubles is <c>!(a &gt;= b)</c>.
    /// </summary>
    private Expression Comparison(ExpressionType kind, bool un, Expression left, Expression right, MethodFrameInfo where)
    {
        if (!left.Type.IsValueType || !right.Type.IsValueType)
        {
            if (left.Type.IsValueType || right.Type.IsValueType)
                throw new LoweringFailure("type-mismatch", "comparison of a value with a reference", where.Method, where.Offset);
            if (left is not ConstantExpression { Value: null } && right is not ConstantExpression { Value: null } && (MentionsAllocatedArray(left) || MentionsAllocatedArray(right)))
                throw new LoweringFailure("allocation", "reference comparison with an array this function allocated: its identity is not the delegate's", where.Method, where.Offset);
            var equal = _ir.Compare(ExpressionType.Equal, left, right.Type == left.Type ? right : _ir.Convert(right, left.Type.IsAssignableFrom(right.Type) ? left.Type : typeof(object)));
            return kind switch
            {
                ExpressionType.Equal => equal,
                // cgt.un x, null is C#'s x != null.
                ExpressionType.GreaterThan or ExpressionType.NotEqual when un || kind == ExpressionType.NotEqual => _ir.Not(equal),
                _ => throw new LoweringFailure("type-mismatch", "ordering comparison of references", where.Method, where.Offset),
            };
        }

        if (kind is ExpressionType.Equal or ExpressionType.NotEqual)
        {
            // C# compares booleans with the literals 0 and 1 (ldc.i4.0; ceq is "not").
            static bool IsBit(Expression e) => e is ConstantExpression { Value: 0 or 1 };
            if (left.Type == typeof(bool) && (right.Type == typeof(bool) || IsBit(right))) return _ir.Compare(kind, left, AsBool(right, where));
            if (right.Type == typeof(bool) && IsBit(left)) return _ir.Compare(kind, right, AsBool(left, where));
        }

        if (left.Type == typeof(bool)) left = CoerceToSlot(left, typeof(int), where);
        if (right.Type == typeof(bool)) right = CoerceToSlot(right, typeof(int), where);
        RequireNumeric(left, where);
        RequireNumeric(right, where);
        if (IrFactory.IsFloating(left.Type) || IrFactory.IsFloating(right.Type))
        {
            (left, right) = SameOperandType(left, right, Signedness.Agnostic, where);
            if (!un || kind == ExpressionType.Equal) return _ir.Compare(kind, left, right);
            // Unordered: the negation of the opposite ordered comparison.
            var opposite = kind switch
            {
                ExpressionType.LessThan => ExpressionType.GreaterThanOrEqual,
                ExpressionType.LessThanOrEqual => ExpressionType.GreaterThan,
                ExpressionType.GreaterThan => ExpressionType.LessThanOrEqual,
                ExpressionType.GreaterThanOrEqual => ExpressionType.LessThan,
                _ => ExpressionType.Equal,
            };
            return _ir.Not(_ir.Compare(opposite, left, right));
        }

        var sign = kind is ExpressionType.Equal or ExpressionType.NotEqual ? Signedness.Agnostic : un ? Signedness.Unsigned : Signedness.Signed;
        (left, right) = SameOperandType(left, right, sign, where);
        return _ir.Compare(kind, left, right);
    }

    /// <summary>
    /// The cases of a conditional branch or <c>switch</c> ending <paramref name="block"/>: (condition, target
    /// block) pairs tried in order, and the block taken when none holds.
    /// </summary>
    private (List<(Expression Condition, int Target)> Cases, int Default) BranchCases(MethodFrame frame, BasicBlock block, IlInstruction last, SymbolicState state)
    {
        var where = frame.At(last.Offset);
        var fallThrough = block.Index + 1;
        if (last.OpCode == OpCodes.Switch)
        {
            var value = CoerceToSlot(state.Pop(where), typeof(int), where);
            var targets = (int[])last.Operand!;
            var cases = targets.Select((offset, i) => (_ir.Compare(ExpressionType.Equal, value, _ir.Constant(i, typeof(int))), frame.Graph.BlockAt(offset).Index)).ToList();
            return (cases, fallThrough);
        }

        var target = frame.Graph.BlockAt((int)last.Operand!).Index;
        var name = last.OpCode.Name!;
        if (name.EndsWith(".s", StringComparison.Ordinal)) name = name[..^2];
        if (name is "brtrue" or "brfalse")
        {
            var condition = AsBool(state.Pop(where), where);
            return name == "brtrue" ? ([(condition, target)], fallThrough) : ([(condition, fallThrough)], target);
        }

        var right = state.Pop(where);
        var left = state.Pop(where);
        var un = name.EndsWith(".un", StringComparison.Ordinal);
        var kind = (un ? name[..^3] : name) switch
        {
            "beq" => ExpressionType.Equal,
            "bne" => ExpressionType.NotEqual,
            "bge" => ExpressionType.GreaterThanOrEqual,
            "bgt" => ExpressionType.GreaterThan,
            "ble" => ExpressionType.LessThanOrEqual,
            "blt" => ExpressionType.LessThan,
            _ => throw new LoweringFailure("opcode", $"the branch '{last.OpCode.Name}' is not supported", where.Method, where.Offset),
        };
        // bne.un is "not equal or unordered": the negation of ordered equality.
        var test = kind == ExpressionType.NotEqual ? _ir.Not(Comparison(ExpressionType.Equal, false, left, right, where)) : Comparison(kind, un, left, right, where);
        return ([(test, target)], fallThrough);
    }
}

using System.Linq.Expressions;
using System.Reflection.Emit;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>
    /// Executes one non-branching instruction on <paramref name="state"/>. A failure raised without a location (by the
    /// IR factory or the intrinsic table, e.g. a nested aggregate refused while it is hash-consed) gets this
    /// instruction's.
    /// </summary>
    private void Execute(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        try
        {
            ExecuteInstruction(frame, instruction, state);
        }
        catch (LoweringFailure failure) when (failure.Method is null)
        {
            throw new LoweringFailure(failure.Construct, failure.Message, frame.Method, instruction.Offset);
        }
    }

    private void ExecuteInstruction(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        _ir.Charge();
        var where = frame.At(instruction.Offset);
        var code = instruction.OpCode;
        if (code == OpCodes.Nop || code == OpCodes.Br || code == OpCodes.Br_S || code == OpCodes.Readonly || code == OpCodes.Volatile
            || code == OpCodes.Unaligned || code == OpCodes.Tailcall)
            return;
        if (code == OpCodes.Constrained)
        {
            _constrainedType = ResolveType(frame, instruction);
            return;
        }

        if (TryLoadConstant(frame, instruction, state) || TryLoadOrStoreSlot(frame, instruction, state) || TryArithmetic(frame, instruction, state)
            || TryConversion(frame, instruction, state) || TryComparison(frame, instruction, state) || TryCall(frame, instruction, state)
            || TryArray(frame, instruction, state) || TryDelegate(frame, instruction, state) || TryObject(frame, instruction, state))
            return;
        if (code == OpCodes.Dup)
        {
            state.Push(state.Peek(where));
            return;
        }

        if (code == OpCodes.Pop)
        {
            state.PopRaw(where);
            return;
        }

        throw Unsupported(code, where);
    }

    private static LoweringFailure Unsupported(OpCode code, MethodFrameInfo where)
    {
        var construct = code.Name switch
        {
            "stsfld" or "ldsflda" => "static-state",
            "newarr" or "newobj" or "box" => "allocation",
            "stelem" or "stelem.i4" or "stelem.r8" or "stelem.ref" or "stelem.i8" or "ldelema" => "array-write",
            "ldftn" or "ldvirtftn" or "calli" => "delegate",
            "localloc" or "cpblk" or "initblk" or "ldind.i" or "stind.i" or "arglist" or "mkrefany" or "refanyval" => "unsafe",
            "leave" or "leave.s" or "endfinally" or "endfilter" or "rethrow" => "try-catch",
            "isinst" or "castclass" => "type-test",
            _ => "opcode",
        };
        return new LoweringFailure(construct, $"the IL instruction '{code.Name}' is not supported", where.Method, where.Offset);
    }

    private bool TryLoadConstant(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var code = instruction.OpCode;
        Expression? value = code.Name switch
        {
            "ldc.i4.m1" => _ir.Constant(-1, typeof(int)),
            "ldc.i4.0" or "ldc.i4.1" or "ldc.i4.2" or "ldc.i4.3" or "ldc.i4.4" or "ldc.i4.5" or "ldc.i4.6" or "ldc.i4.7" or "ldc.i4.8" =>
                _ir.Constant(code.Name![^1] - '0', typeof(int)),
            "ldc.i4" or "ldc.i4.s" => _ir.Constant(instruction.IntOperand, typeof(int)),
            "ldc.i8" => _ir.Constant((long)instruction.Operand!, typeof(long)),
            "ldc.r4" => _ir.Constant((float)instruction.Operand!, typeof(float)),
            "ldc.r8" => _ir.Constant((double)instruction.Operand!, typeof(double)),
            "ldnull" => _ir.Constant(null, typeof(object)),
            _ => null,
        };
        if (code == OpCodes.Ldstr) value = _ir.Constant(frame.Method.Module.ResolveString(instruction.IntOperand), typeof(string));
        if (value is null) return false;
        state.Push(value);
        return true;
    }

    private bool TryLoadOrStoreSlot(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var name = instruction.OpCode.Name!;
        var where = frame.At(instruction.Offset);
        int Index() => name[^2] == '.' && char.IsDigit(name[^1]) ? name[^1] - '0' : instruction.IntOperand;
        switch (name)
        {
            case "ldarg" or "ldarg.s" or "ldarg.0" or "ldarg.1" or "ldarg.2" or "ldarg.3":
                state.Push(Normalize(Slot(state.Arguments, Index(), where)));
                return true;
            case "ldloc" or "ldloc.s" or "ldloc.0" or "ldloc.1" or "ldloc.2" or "ldloc.3":
                state.Push(Normalize(Slot(state.Locals, Index(), where)));
                return true;
            case "starg" or "starg.s":
                StoreSlot(state, state.Arguments, frame.ArgumentTypes, Index(), state.PopRaw(where), where);
                return true;
            case "stloc" or "stloc.s" or "stloc.0" or "stloc.1" or "stloc.2" or "stloc.3":
                StoreSlot(state, state.Locals, frame.LocalTypes, Index(), state.PopRaw(where), where);
                return true;
            case "ldarga" or "ldarga.s":
                state.Push(new AddressValue(AddressKind.Argument, Index(), frame.ArgumentTypes[Index()]));
                return true;
            case "ldloca" or "ldloca.s":
                state.Push(new AddressValue(AddressKind.Local, Index(), frame.LocalTypes[Index()]));
                return true;
            default:
                return false;
        }
    }

    private static Expression Slot(Expression[] slots, int index, MethodFrameInfo where) =>
        (uint)index < (uint)slots.Length ? slots[index] : throw new LoweringFailure("malformed-il", $"slot {index} does not exist", where.Method, where.Offset);

    private void StoreSlot(SymbolicState state, Expression[] slots, Type[] types, int index, Expression value, MethodFrameInfo where)
    {
        Slot(slots, index, where);
        value = Settle(value, types[index]);
        if (value is PendingArray)
        {
            slots[index] = value;
            return;
        }

        slots[index] = CoerceToSlot(value, types[index], where);
        state.Effects = state.Effects.Observe(slots[index]);
    }
}

using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    private bool TryObject(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var where = frame.At(instruction.Offset);
        var code = instruction.OpCode;
        var name = code.Name!;
        if (code == OpCodes.Ldfld)
        {
            var field = ResolveField(frame, instruction);
            var instance = state.Pop(where);
            state.Push(Normalize(LoadField(instance, field, state, where)));
            return true;
        }

        if (code == OpCodes.Ldflda)
        {
            var field = ResolveField(frame, instruction);
            var instance = state.Pop(where);
            if (instance is CapturedVariables captured)
            {
                state.Push(new AddressValue(AddressKind.Captured, 0, field.FieldType, field: field, target: captured));
                return true;
            }

            if (instance is not AddressValue parent || !field.DeclaringType!.IsValueType)
                throw new LoweringFailure("pointer", $"address of field {field.Name}", where.Method, where.Offset);
            state.Push(new AddressValue(AddressKind.Field, 0, field.FieldType, parent, field));
            return true;
        }

        if (code == OpCodes.Stfld)
        {
            var field = ResolveField(frame, instruction);
            var value = state.Pop(where);
            var target = state.Pop(where);
            if (target is CapturedVariables captured)
            {
                StoreCaptured(captured, field, value, state, where);
                return true;
            }

            if (target is not AddressValue address)
                throw new LoweringFailure("closure-write", $"assignment to field {field.Name} of an object (a captured variable or user object): a side effect the caller could see", where.Method, where.Offset);
            Store(new AddressValue(AddressKind.Field, 0, field.FieldType, address, field), CoerceToSlot(value, field.FieldType, where), state, where);
            return true;
        }

        if (code == OpCodes.Ldsfld)
        {
            var field = ResolveField(frame, instruction);
            state.Push(Normalize(LoadStaticField(field, where)));
            return true;
        }

        if (code == OpCodes.Initobj)
        {
            var type = ResolveType(frame, instruction);
            if (state.Pop(where) is not AddressValue address)
                throw new LoweringFailure("pointer", "initobj on a pointer that is not a local", where.Method, where.Offset);
            if (!TryInitializeInlineArray(type, address, state, where)) Store(address, _ir.Default(type), state, where);
            return true;
        }

        if (code == OpCodes.Ldobj || name.StartsWith("ldind.", StringComparison.Ordinal))
        {
            if (code == OpCodes.Ldobj) ResolveType(frame, instruction);
            if (state.Pop(where) is not AddressValue address)
                throw new LoweringFailure("pointer", $"{name} through an unknown pointer", where.Method, where.Offset);
            state.Push(Normalize(Load(address, state, where)));
            return true;
        }

        if (code == OpCodes.Stobj || name.StartsWith("stind.", StringComparison.Ordinal))
        {
            if (code == OpCodes.Stobj) ResolveType(frame, instruction);
            var value = state.Pop(where);
            if (state.Pop(where) is not AddressValue address)
                throw new LoweringFailure("pointer", $"{name} through an unknown pointer", where.Method, where.Offset);
            Store(address, CoerceToSlot(value, address.Pointee, where), state, where);
            return true;
        }

        if (code == OpCodes.Box)
        {
            var type = ResolveType(frame, instruction);
            var value = CoerceToSlot(state.Pop(where), type, where);
            state.Push(type.IsValueType ? _ir.Convert(value, typeof(object)) : value);
            return true;
        }

        if (code == OpCodes.Unbox_Any)
        {
            var type = ResolveType(frame, instruction);
            var value = state.Pop(where);
            if (value is UnaryExpression { NodeType: ExpressionType.Convert } boxed && boxed.Type == typeof(object) && boxed.Operand.Type == type)
                state.Push(Normalize(boxed.Operand));
            else
                throw new LoweringFailure("type-test", $"unboxing an object to {type.Name}", where.Method, where.Offset);
            return true;
        }

        if (name.StartsWith("ldelem", StringComparison.Ordinal) && code != OpCodes.Ldelema)
        {
            var index = state.Pop(where);
            var array = state.Pop(where);
            if (!array.Type.IsArray || array.Type.GetArrayRank() != 1)
                throw new LoweringFailure("type-mismatch", "element load from something that is not a one-dimensional array", where.Method, where.Offset);
            if (index.Type != typeof(int))
                throw new LoweringFailure("native-int", "array index that is not an int", where.Method, where.Offset);
            state.Push(Normalize(IntrinsicGateway.ArrayElement(array, index, _ir)));
            return true;
        }

        if (code == OpCodes.Ldlen)
        {
            var array = state.Pop(where);
            if (!array.Type.IsArray)
                throw new LoweringFailure("type-mismatch", "ldlen on something that is not an array", where.Method, where.Offset);
            state.Push(_ir.ArrayLength(array));
            return true;
        }

        return false;
    }

    /// <summary>
    /// A field read. On the closure object it reads the captured variable at evaluation time
    /// (<c>Field(Constant(closure), f)</c>); on a struct value or slot it reads the field of that value.
    /// </summary>
    private Expression LoadField(Expression instance, FieldInfo field, SymbolicState state, MethodFrameInfo where)
    {
        if (instance is AddressValue address) instance = Load(address, state, where);
        if (AsCaptured(instance) is { } captured) return ReadCaptured(captured, field);
        if (TryEntityField(instance, field, where) is { } member) return member;
        if (instance is NewExpression created && created.Type.IsValueType && IndexOfField(created, field) is { } argument)
            return created.Arguments[argument];
        if (!instance.Type.IsValueType && instance is not ConstantExpression && instance is not MemberExpression)
            throw new LoweringFailure("object-field", $"read of field {field.Name} of an object that is not the function's closure", where.Method, where.Offset);
        return _ir.Field(instance, field);
    }

    /// <summary>Which constructor argument of a tuple <c>new</c> a field comes from (tuples store Item1..ItemN in order).</summary>
    private static int? IndexOfField(NewExpression created, FieldInfo field)
    {
        if (!created.Type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)) return null;
        if (!field.Name.StartsWith("Item", StringComparison.Ordinal) || !int.TryParse(field.Name.AsSpan(4), out var item)) return field.Name == "Rest" ? 7 : null;
        return item - 1 < created.Arguments.Count ? item - 1 : null;
    }

    private Expression LoadStaticField(FieldInfo field, MethodFrameInfo where)
    {
        if (field.IsLiteral) return _ir.Constant(field.GetRawConstantValue(), field.FieldType);
        if (!field.IsInitOnly)
            throw new LoweringFailure("static-state", $"read of the mutable static field {field.DeclaringType?.Name}.{field.Name}", where.Method, where.Offset);
        var value = field.GetValue(null);
        return field.FieldType.IsPrimitive || field.FieldType == typeof(string) || field.FieldType.IsEnum || field.FieldType == typeof(decimal)
            ? _ir.Constant(value, field.FieldType)
            : _ir.Field(null, field);
    }

    /// <summary>The value in the slot a managed pointer names.</summary>
    private Expression Load(AddressValue address, SymbolicState state, MethodFrameInfo where) => address.Kind switch
    {
        AddressKind.Local => Slot(state.Locals, address.Index, where),
        AddressKind.Argument => Slot(state.Arguments, address.Index, where),
        AddressKind.Captured => ReadCaptured(address.Target!, address.FieldInfo!),
        AddressKind.Element => LoadElement(address, state),
        _ => LoadField(Load(address.Parent!, state, where), address.FieldInfo!, state, where),
    };

    /// <summary>Writes a slot through a managed pointer; a struct field write rebuilds the tuple that holds it.</summary>
    private void Store(AddressValue address, Expression value, SymbolicState state, MethodFrameInfo where)
    {
        state.Effects = state.Effects.Observe(value);
        switch (address.Kind)
        {
            case AddressKind.Local:
                state.Locals[address.Index] = CoerceToSlot(value, address.Pointee, where);
                return;
            case AddressKind.Argument:
                state.Arguments[address.Index] = CoerceToSlot(value, address.Pointee, where);
                return;
            case AddressKind.Captured:
                StoreCaptured(address.Target!, address.FieldInfo!, value, state, where);
                return;
            case AddressKind.Element:
                StoreElement(address, value, state, where);
                return;
        }

        var parent = address.Parent!;
        var whole = Load(parent, state, where);
        if (AsCaptured(whole) is { } display)
        {
            Store(parent, display.With(address.FieldInfo!, CoerceToSlot(value, address.FieldInfo!.FieldType, where)), state, where);
            return;
        }

        var type = whole.Type;
        if (!type.IsValueType || !type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
            throw new LoweringFailure("struct-write", $"assignment to field {address.FieldInfo!.Name} of a {type.Name}", where.Method, where.Offset);
        var fields = type.GetFields();
        var items = fields.Select(f => f == address.FieldInfo ? CoerceToSlot(value, f.FieldType, where) : LoadField(whole, f, state, where)).ToArray();
        var constructor = type.GetConstructor(fields.Select(f => f.FieldType).ToArray())!;
        Store(parent, _ir.New(constructor, items), state, where);
    }
}

using System.Collections.Immutable;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>The longest array literal lowered; each element costs gas as well.</summary>
    private const int MaxArrayLiteralLength = 4096;

    /// <summary>
    /// Array literals: <c>newarr</c> of a constant length, element writes into it at constant indices (C#'s
    /// <c>new T[] { … }</c>: <c>dup; ldc i; value; stelem</c>), <c>RuntimeHelpers.InitializeArray</c> from a
    /// <c>ldtoken</c>'d data field, and stores of the reference into locals. The array stays a
    /// <see cref="PendingArray"/> until its contents are first used, then becomes read-only IR. A write to any
    /// other array, or to this one after a read, is refused (<c>array-write</c>): the IR has no mutable state.
    /// </summary>
    private bool TryArray(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var where = frame.At(instruction.Offset);
        var code = instruction.OpCode;
        if (code == OpCodes.Newarr)
        {
            var elementType = ResolveType(frame, instruction);
            var length = state.Pop(where);
            if (length is not ConstantExpression { Value: int n })
                throw new LoweringFailure("allocation", $"new {elementType.Name}[n] with a length that depends on the input: only array literals are lowered", where.Method, where.Offset);
            if (n is < 0 or > MaxArrayLiteralLength)
                throw new LoweringFailure("allocation", $"new {elementType.Name}[{n}]: only array literals of 0 to {MaxArrayLiteralLength} elements are lowered", where.Method, where.Offset);
            _ir.Charge(n);
            var allocation = new ArrayAllocation(elementType, n, _ir);
            state.Push(new PendingArray(allocation, Enumerable.Repeat(_ir.Default(elementType), n).ToImmutableArray()));
            return true;
        }

        if (code.Name!.StartsWith("stelem", StringComparison.Ordinal))
        {
            if (code == OpCodes.Stelem) ResolveType(frame, instruction);
            var value = state.Pop(where);
            var index = state.Pop(where);
            var array = WritableArray(state.PopRaw(where), where);
            if (index is not ConstantExpression { Value: int i } || (uint)i >= (uint)array.Elements.Length)
                throw new LoweringFailure("array-write", "an array element write at an index that is not a constant inside the array", where.Method, where.Offset);
            state.Replace(array.With(i, CoerceToSlot(value, array.Allocation.ElementType, where)));
            return true;
        }

        if (code == OpCodes.Ldtoken)
        {
            var token = frame.Method.Module.ResolveMember(instruction.IntOperand, GenericArguments(frame.Method.DeclaringType),
                frame.Method.IsGenericMethod ? frame.Method.GetGenericArguments() : null);
            if (token is not FieldInfo field)
                throw new LoweringFailure("opcode", $"ldtoken of {token?.MemberType.ToString() ?? "an unknown member"} (only array initialisation data is lowered)", where.Method, where.Offset);
            state.Push(_ir.Constant(field.FieldHandle, typeof(RuntimeFieldHandle)));
            return true;
        }

        return false;
    }

    /// <summary>
    /// <c>RuntimeHelpers.InitializeArray(array, fieldHandle)</c>, which C# emits for literals of primitive elements:
    /// the data is copied into an array at plan time and its elements become constants.
    /// </summary>
    private bool TryInitializeArray(MethodBase method, SymbolicState state, MethodFrameInfo where)
    {
        if (method.DeclaringType != typeof(RuntimeHelpers) || method.Name != nameof(RuntimeHelpers.InitializeArray) || method.GetParameters().Length != 2)
            return false;
        if (state.PopRaw(where) is not ConstantExpression { Value: RuntimeFieldHandle handle })
            throw new LoweringFailure("array-write", "RuntimeHelpers.InitializeArray from data that is not a constant field", where.Method, where.Offset);
        var array = WritableArray(state.PopRaw(where), where);
        var data = Array.CreateInstance(array.Allocation.ElementType, array.Elements.Length);
        RuntimeHelpers.InitializeArray(data, handle);
        var elements = Enumerable.Range(0, data.Length).Select(i => (Expression)_ir.Constant(data.GetValue(i), array.Allocation.ElementType));
        state.Replace(new PendingArray(array.Allocation, elements.ToImmutableArray()));
        return true;
    }

    private static PendingArray WritableArray(Expression array, MethodFrameInfo where) => array switch
    {
        PendingArray { Allocation.IsFrozen: false } pending => pending,
        PendingArray => throw new LoweringFailure("array-write", "a write to an array after its contents were read", where.Method, where.Offset),
        _ => throw new LoweringFailure("array-write", "a write to an element of an array that is not an array literal of this function (an input, or a result of a call)", where.Method, where.Offset),
    };

    /// <summary>
    /// A slot whose value is an array under initialisation, as stored into a slot of type <paramref name="slotType"/>:
    /// still pending when the slot has the array's own type (a local holding the literal), else frozen.
    /// </summary>
    private static Expression Settle(Expression value, Type slotType) =>
        value is PendingArray pending && pending.Type != slotType ? pending.Freeze() : value;

    /// <summary>Two versions of the same array met at a join: each differing element becomes a conditional.</summary>
    private Expression? MergeArrays(Expression c, Expression a, Expression b)
    {
        if (a is not PendingArray x || b is not PendingArray y) return null;
        if (x.Allocation != y.Allocation) return null;
        var elements = x.Elements.Select((e, i) => MergeValue(c, e, y.Elements[i])).ToImmutableArray();
        return new PendingArray(x.Allocation, elements);
    }

    /// <summary>
    /// True when <paramref name="tree"/> mentions an array this function allocated (a constant array or
    /// <c>new T[] { … }</c>): its identity is not the delegate's (one constant instance serves every row).
    /// </summary>
    private static bool MentionsAllocatedArray(Expression tree)
    {
        var finder = new AllocatedArrayFinder();
        finder.Visit(tree);
        return finder.Found;
    }

    /// <summary>True when a value of <paramref name="type"/> can hold a reference to an array.</summary>
    private static bool CanHoldArray(Type type) =>
        type.IsArray || type == typeof(object) || type.IsInterface || type == typeof(Array)
        || type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal) && type.GetGenericArguments().Any(CanHoldArray);

    /// <summary>Visits each distinct node once (the IR is a DAG: shared subtrees would be walked once per path).</summary>
    private sealed class AllocatedArrayFinder : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public bool Found { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (Found || node is null || !_seen.Add(node)) return node;
            if (node is ConstantExpression { Value: Array } or NewArrayExpression)
            {
                Found = true;
                return node;
            }

            return base.Visit(node);
        }
    }
}

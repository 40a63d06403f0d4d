using System.Collections.Immutable;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Dsl.Lowering.Cil;

/// <summary>
/// <c>params ReadOnlySpan&lt;T&gt;</c> arguments. C# 13 passes <c>string.Join(",", a, b)</c> and <c>string.Concat(a, b, c, d, e)</c>
/// through a compiler-generated <c>[InlineArray(n)]</c> struct local: <c>initobj</c>, then
/// <c>&lt;PrivateImplementationDetails&gt;.InlineArrayElementRef(ref buffer, i)</c> and a store for each element, then
/// <c>InlineArrayAsReadOnlySpan(in buffer, n)</c> and the call. The interpreter keeps the buffer as a <see cref="PendingArray"/>
/// in its local and the span as a <see cref="SpanOverArray"/>; a <see cref="string"/> method called with one runs as its
/// <c>params T[]</c> overload, which does the same with an array and which the intrinsics lower. Any other use of such a span
/// is refused (the function runs row by row).
/// </summary>
internal sealed partial class CilInterpreter
{
    /// <summary>Whether <paramref name="type"/> is an inline array buffer, with its element type and length.</summary>
    private static bool IsInlineArray(Type type, out Type element, out int length)
    {
        element = typeof(void);
        length = 0;
        if (!type.IsValueType || type.GetCustomAttribute<InlineArrayAttribute>() is not { } attribute) return false;
        var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        if (fields.Length != 1) return false;
        element = fields[0].FieldType;
        length = attribute.Length;
        return true;
    }

    /// <summary>A local's value on entry (<c>.locals init</c>): its type's default, or for an inline array a new array of defaults.</summary>
    private Expression InitialLocal(Type type) => IsInlineArray(type, out var element, out var length) ? NewInlineArray(element, length) : _ir.Default(type);

    private PendingArray NewInlineArray(Type element, int length) =>
        new(new ArrayAllocation(element, length, _ir), Enumerable.Repeat(_ir.Default(element), length).ToImmutableArray());

    /// <summary><c>initobj</c> of an inline array local: a new array of defaults still being written.</summary>
    private bool TryInitializeInlineArray(Type type, AddressValue address, SymbolicState state, MethodFrameInfo where)
    {
        if (!IsInlineArray(type, out var element, out var length)) return false;
        if (address.Kind != AddressKind.Local)
            throw new LoweringFailure("pointer", $"an inline array ({type.Name}) outside a local", where.Method, where.Offset);
        state.Locals[address.Index] = NewInlineArray(element, length);
        return true;
    }

    /// <summary>
    /// The helpers the compiler writes into the assembly (<c>&lt;PrivateImplementationDetails&gt;.InlineArrayElementRef</c>, …) over an
    /// inline array local: an element's address, or the buffer as a span.
    /// </summary>
    private bool TryInlineArrayCall(MethodBase method, SymbolicState state, MethodFrameInfo where)
    {
        if (method.DeclaringType?.Name != "<PrivateImplementationDetails>" || !method.Name.StartsWith("InlineArray", StringComparison.Ordinal)) return false;
        switch (method.Name)
        {
            case "InlineArrayElementRef" or "InlineArrayFirstElementRef":
            {
                var index = method.Name == "InlineArrayFirstElementRef" ? 0 : ConstantIndex(state.PopRaw(where), where);
                var (local, buffer) = InlineArrayAt(state.PopRaw(where), state, where);
                if (index < 0 || index >= buffer.Allocation.Length)
                    throw new LoweringFailure("array-write", $"element {index} of an inline array of {buffer.Allocation.Length}", where.Method, where.Offset);
                state.Push(new AddressValue(AddressKind.Element, index, buffer.Allocation.ElementType, local));
                return true;
            }
            case "InlineArrayAsReadOnlySpan" or "InlineArrayAsSpan":
            {
                var length = ConstantIndex(state.PopRaw(where), where);
                var (_, buffer) = InlineArrayAt(state.PopRaw(where), state, where);
                if (length != buffer.Allocation.Length)
                    throw new LoweringFailure("span", $"a span of {length} over an inline array of {buffer.Allocation.Length}", where.Method, where.Offset);
                state.Push(new SpanOverArray(buffer.Freeze(), ((MethodInfo)method).ReturnType));
                return true;
            }
            default:
                throw new LoweringFailure("span", $"{MethodFrame.Describe(method)} over an inline array", where.Method, where.Offset);
        }
    }

    /// <summary>
    /// A <see cref="string"/> method with <c>ReadOnlySpan&lt;T&gt;</c> parameters: the same method with <c>T[]</c> parameters there
    /// (string's <c>params</c> overloads come in both forms and agree), else the method itself. An argument that is not a span over
    /// an array of this function then fails as a type mismatch.
    /// </summary>
    private static MethodBase ArrayOverloadForSpans(MethodBase method)
    {
        if (method.DeclaringType != typeof(string) || !method.IsStatic) return method;
        var parameters = method.GetParameters();
        if (!parameters.Any(p => IsReadOnlySpan(p.ParameterType))) return method;
        var types = parameters.Select(p => IsReadOnlySpan(p.ParameterType) ? p.ParameterType.GetGenericArguments()[0].MakeArrayType() : p.ParameterType).ToArray();
        return typeof(string).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Static, types) ?? method;
    }

    /// <summary>A span argument passed where its array overload takes an array: the array.</summary>
    private static Expression ArrayOfSpan(Expression value, Type parameterType) =>
        value is SpanOverArray span && parameterType.IsArray ? span.Array : value;

    private static bool IsReadOnlySpan(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>);

    private static int ConstantIndex(Expression value, MethodFrameInfo where) => value is ConstantExpression { Value: int index }
        ? index
        : throw new LoweringFailure("span", "an inline array indexed by a value that is not a constant", where.Method, where.Offset);

    private static (AddressValue Local, PendingArray Buffer) InlineArrayAt(Expression address, SymbolicState state, MethodFrameInfo where)
    {
        if (address is AddressValue { Kind: AddressKind.Local } local && state.Locals[local.Index] is PendingArray buffer) return (local, buffer);

        throw new LoweringFailure("span", "an inline array that is not a local of this function", where.Method, where.Offset);
    }

    /// <summary>An element of the inline array a local holds.</summary>
    private static Expression LoadElement(AddressValue element, SymbolicState state) =>
        ((PendingArray)state.Locals[element.Parent!.Index]).Elements[element.Index];

    /// <summary>Writes an element of the inline array a local holds (refused once the buffer was read as a span).</summary>
    private void StoreElement(AddressValue element, Expression value, SymbolicState state, MethodFrameInfo where)
    {
        var buffer = WritableArray(state.Locals[element.Parent!.Index], where);
        state.Replace(buffer.With(element.Index, CoerceToSlot(value, element.Pointee, where)));
    }
}

/// <summary>A <c>ReadOnlySpan&lt;T&gt;</c> over an inline array the function filled: the array's IR. Interpreter-only.</summary>
internal sealed class SpanOverArray(Expression array, Type spanType) : InterpreterValue
{
    public Expression Array { get; } = array;

    public override Type Type { get; } = spanType;
}

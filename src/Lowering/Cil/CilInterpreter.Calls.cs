using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Dsl.Lowering.Intrinsics;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>The type named by a pending <c>constrained.</c> prefix, consumed by the next <c>callvirt</c>.</summary>
    private Type? _constrainedType;

    private static readonly HashSet<string> NonDeterministicTypes =
    [
        "System.Random", "System.Guid", "System.Environment", "System.Diagnostics.Stopwatch", "System.Security.Cryptography.RandomNumberGenerator",
    ];

    private bool TryCall(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var code = instruction.OpCode;
        if (code != OpCodes.Call && code != OpCodes.Callvirt && code != OpCodes.Newobj) return false;
        var where = frame.At(instruction.Offset);
        var method = ResolveMethod(frame, instruction);
        var constrained = _constrainedType;
        _constrainedType = null;
        if (TryInitializeArray(method, state, where) || TryInlineArrayCall(method, state, where)) return true;
        method = ArrayOverloadForSpans(method);
        var parameters = method.GetParameters();
        var arguments = new Expression[parameters.Length];
        for (var i = parameters.Length - 1; i >= 0; i--) arguments[i] = CoerceArgument(ArrayOfSpan(state.Pop(where), parameters[i].ParameterType), parameters[i].ParameterType, where);

        if (code == OpCodes.Newobj)
        {
            state.Push(Normalize(Construct((ConstructorInfo)method, arguments, state, where)));
            return true;
        }

        Expression? instance = method.IsStatic ? null : state.Pop(where);
        if (instance is not null && constrained is not null) instance = ResolveConstrained(instance, constrained, ref method, where);
        if (method is ConstructorInfo constructor)
        {
            // call .ctor on an address: initialise a struct slot in place (Nullable<T>, tuples, DateTime, ...).
            if (instance is not AddressValue address)
                throw new LoweringFailure("allocation", $"base constructor call to {MethodFrame.Describe(method)}", where.Method, where.Offset);
            Store(address, Construct(constructor, arguments, state, where), state, where);
            return true;
        }

        var result = CallMethod((MethodInfo)method, code == OpCodes.Callvirt, instance, arguments, state, where);
        if (result is not null) state.Push(Normalize(result));
        else if (((MethodInfo)method).ReturnType != typeof(void))
            throw new LoweringFailure("unknown-call", $"call to {MethodFrame.Describe(method)}", where.Method, where.Offset);
        return true;
    }

    /// <summary>The IR of a call, or throws the reason it cannot be lowered. Void calls are refused.</summary>
    private Expression? CallMethod(MethodInfo method, bool isVirtualCall, Expression? instance, Expression[] arguments, SymbolicState state, MethodFrameInfo where)
    {
        var receiver = instance is AddressValue address ? Load(address, state, where) : instance;
        var declaring = method.DeclaringType;
        if (declaring is { IsGenericType: true } && declaring.GetGenericTypeDefinition() == typeof(Nullable<>) && receiver is not null)
        {
            switch (method.Name)
            {
                // The receiver's evaluation is in the effect log already (it was pushed), so deciding drops nothing.
                case "get_HasValue": return _ir.HasValue(receiver, state.Facts, operandEvaluatedAnyway: true);
                case "get_Value":
                    var value = Observe(_ir.NullableValue(receiver, state.Facts), state);
                    // Past a checked Value read the path knows the nullable has a value (otherwise it threw).
                    state.Facts = state.Facts.Assume(_ir.HasValueNode(receiver), true);
                    return value;
                case nameof(Nullable<int>.GetValueOrDefault) when arguments.Length == 0: return _ir.GetValueOrDefault(receiver);
                case nameof(Nullable<int>.GetValueOrDefault): return _ir.GetValueOrDefault(receiver, arguments[0], state.Facts);
            }
        }

        if (TryEnumeratorCall(method, receiver, where) is { } enumeration) return enumeration;
        if (TryEntityGetter(method, receiver, where) is { } member) return member;
        if (IsNonDeterministic(method))
            throw new LoweringFailure("non-deterministic", $"{MethodFrame.Describe(method)} gives a different answer on each call", where.Method, where.Offset);
        if (declaring?.Namespace is { } ns && (ns == "System.IO" || ns.StartsWith("System.IO.", StringComparison.Ordinal) || ns.StartsWith("System.Net", StringComparison.Ordinal) || declaring == typeof(Console)))
            throw new LoweringFailure("io", $"{MethodFrame.Describe(method)} does input or output", where.Method, where.Offset);

        if (method.ReturnType == typeof(void))
            throw new LoweringFailure("side-effect", $"call to {MethodFrame.Describe(method)}, which returns nothing (it can only act by side effects)", where.Method, where.Offset);
        var intrinsic = IntrinsicGateway.TryLower(method, receiver, arguments, _ir);
        if (intrinsic.IsLowered) return Observe(intrinsic.Value!, state);
        if (intrinsic.Unsupported is { } refused)
            throw new LoweringFailure(refused.Construct, refused.Message, where.Method, where.Offset);

        if (IsUserCode(method, where.Method))
        {
            if (isVirtualCall && method.IsVirtual && !method.IsFinal && declaring is { IsSealed: false })
                throw new LoweringFailure("virtual-call", $"virtual call to {MethodFrame.Describe(method)}: the override that runs is not known at plan time", where.Method, where.Offset);
            var inlineArguments = InlineArguments(method, receiver, arguments, state, where);
            var result = Invoke(FrameOf(method), inlineArguments, state.Effects, state.Facts, out var effects);
            if (receiver is not null && NeedsReceiverGuard(receiver, state.Effects, effects))
                result = Invoke(FrameOf(method), inlineArguments, state.Effects.Observe(NullGuard(receiver)), state.Facts, out effects);
            state.Effects = effects;
            return result;
        }

        if (isVirtualCall && method.IsVirtual && !method.IsFinal && declaring is { IsSealed: false, IsValueType: false })
            throw new LoweringFailure("virtual-call", $"virtual call to {MethodFrame.Describe(method)}: the override that runs is not known at plan time", where.Method, where.Offset);
        throw new LoweringFailure("unknown-call", $"call to {MethodFrame.Describe(method)}, which has no exact lowering", where.Method, where.Offset);
    }

    /// <summary>Records the possibly-throwing evaluations of a call's result on the path, in order.</summary>
    private Expression Observe(Expression value, SymbolicState state)
    {
        state.Effects = state.Effects.Observe(value);
        return value;
    }

    private static bool IsNonDeterministic(MethodInfo method)
    {
        var declaring = method.DeclaringType;
        if (declaring is null) return false;
        if (NonDeterministicTypes.Contains(declaring.FullName ?? "")) return true;
        return (declaring == typeof(DateTime) || declaring == typeof(DateTimeOffset) || declaring == typeof(DateOnly) || declaring == typeof(TimeOnly))
            && method.Name is "get_Now" or "get_UtcNow" or "get_Today";
    }

    /// <summary>
    /// The user's own code, which is inlined: a method with IL in the same assembly as the method calling it
    /// (the lowered function, a local function, a lambda's helper), or a computed property of an entity class
    /// defined elsewhere; not compiler-internal BCL code.
    /// </summary>
    private static bool IsUserCode(MethodBase method, MethodBase caller) =>
        (method.Module.Assembly == caller.Module.Assembly || IsEntityGetter(method)) && method.GetMethodBody() is not null
        && method.DeclaringType?.Assembly != typeof(object).Assembly;

    /// <summary>A computed property of an entity, which is inlined wherever the entity class is defined.</summary>
    private static bool IsEntityGetter(MethodBase method) => method is MethodInfo getter && EntityMembers.PropertyOf(getter) is not null && EntityMembers.IsEntityType(getter.DeclaringType);

    /// <summary>
    /// <c>constrained. T callvirt M</c> on an address: for a value type that implements <c>M</c> itself, a direct
    /// call on the value; anything that would box falls back.
    /// </summary>
    private Expression ResolveConstrained(Expression instance, Type constrained, ref MethodBase method, MethodFrameInfo where)
    {
        if (!constrained.IsValueType) return instance;
        var implementation = constrained.GetMethod(method.Name, method.GetParameters().Select(p => p.ParameterType).ToArray());
        if (implementation is null || implementation.DeclaringType != constrained)
            throw new LoweringFailure("allocation", $"{method.Name} on a {constrained.Name} would box the value", where.Method, where.Offset);
        method = implementation;
        return instance;
    }

    private Expression CoerceArgument(Expression value, Type parameterType, MethodFrameInfo where) =>
        parameterType.IsByRef ? value is AddressValue ? value : throw new LoweringFailure("pointer", "by-reference argument", where.Method, where.Offset)
        : CoerceToSlot(value, parameterType, where);

    /// <summary>Builds a value of a type the IR may construct: <c>Nullable&lt;T&gt;</c>, tuples, BCL value types and exceptions.</summary>
    private Expression Construct(ConstructorInfo constructor, Expression[] arguments, SymbolicState state, MethodFrameInfo where)
    {
        var type = constructor.DeclaringType!;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>)) return _ir.Convert(arguments[0], type);
        if (!type.IsValueType && arguments.Length == 0 && CapturedVariables.IsDisplayType(type)) return CapturedVariables.Create(type);
        if (typeof(Delegate).IsAssignableFrom(type) && arguments.Length == 2) return CreateDelegate(type, arguments[0], arguments[1], where);
        if (arguments.Any(a => a is AddressValue))
            throw new LoweringFailure("pointer", $"constructor of {type.Name} takes a reference", where.Method, where.Offset);
        var intrinsic = IntrinsicGateway.TryLower(constructor, null, arguments, _ir);
        if (intrinsic.IsLowered) return Observe(intrinsic.Value!, state);
        if (intrinsic.Unsupported is { } refused) throw new LoweringFailure(refused.Construct, refused.Message, where.Method, where.Offset);
        var isTuple = type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal);
        var isBclValue = type == typeof(DateTime) || type == typeof(TimeSpan) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(decimal);
        var isBclException = typeof(Exception).IsAssignableFrom(type) && type.Assembly == typeof(object).Assembly;
        if (isTuple || isBclValue || isBclException) return Observe(_ir.New(constructor, arguments), state);
        throw new LoweringFailure("allocation", $"new {type.Name}(...): allocating user objects is not lowered", where.Method, where.Offset);
    }

    private MethodBase ResolveMethod(MethodFrame frame, IlInstruction instruction)
    {
        try
        {
            var method = frame.Method;
            return method.Module.ResolveMethod(instruction.IntOperand, GenericArguments(method.DeclaringType), method.IsGenericMethod ? method.GetGenericArguments() : null)!;
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException)
        {
            throw new LoweringFailure("malformed-il", $"cannot resolve a method token: {e.Message}", frame.Method, instruction.Offset);
        }
    }

    private Type ResolveType(MethodFrame frame, IlInstruction instruction)
    {
        var method = frame.Method;
        return method.Module.ResolveType(instruction.IntOperand, GenericArguments(method.DeclaringType), method.IsGenericMethod ? method.GetGenericArguments() : null);
    }

    private FieldInfo ResolveField(MethodFrame frame, IlInstruction instruction)
    {
        var method = frame.Method;
        return method.Module.ResolveField(instruction.IntOperand, GenericArguments(method.DeclaringType), method.IsGenericMethod ? method.GetGenericArguments() : null)!;
    }

    private static Type[]? GenericArguments(Type? type) => type is { IsGenericType: true } ? type.GetGenericArguments() : null;

    private static bool IsCompilerGenerated(Type? type) => type?.GetCustomAttribute<CompilerGeneratedAttribute>() is not null;
}

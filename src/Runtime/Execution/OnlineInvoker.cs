using System.Linq.Expressions;
using Dsl.Codegen.Compilation;
using Dsl.Lowering.Ir;
using System.Reflection;

namespace Dsl.Runtime.Execution;

/// <summary>
/// Builds the online (one row, no Arrow) entry points of a function: a typed delegate, and an untyped
/// <c>object?[] → object?</c> wrapper that applies the batch path's null rule (a null argument for a
/// non-nullable value-type parameter gives a null result without calling the function).
/// </summary>
internal static class OnlineInvoker
{
    /// <summary>
    /// Compiles <paramref name="ir"/> as a scalar function with the signature of <typeparamref name="TDelegate"/>;
    /// throws <see cref="ArgumentException"/> when the signatures differ.
    /// </summary>
    public static TDelegate CompileTyped<TDelegate>(LambdaExpression ir)
        where TDelegate : Delegate
    {
        CheckSignature(typeof(TDelegate), ir.Parameters.Select(p => p.Type).ToArray(), ir.ReturnType);
        return Expression.Lambda<TDelegate>(ScalarBody(ir), ir.Name, ir.TailCall, ir.Parameters).Compile();
    }

    /// <summary>
    /// The original delegate as <typeparamref name="TDelegate"/> (the same object when it already is one);
    /// throws <see cref="ArgumentException"/> when the signatures differ.
    /// </summary>
    public static TDelegate Retype<TDelegate>(Delegate original)
        where TDelegate : Delegate
    {
        if (original is TDelegate same) return same;
        var invoke = original.GetType().GetMethod("Invoke")!;
        CheckSignature(typeof(TDelegate), invoke.GetParameters().Select(p => p.ParameterType).ToArray(), invoke.ReturnType);
        return (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), original, invoke);
    }

    /// <summary>
    /// An untyped entry point over <paramref name="ir"/> inlined into one compiled lambda: arguments are
    /// unboxed straight into the IR's parameters, so the only allocations are the argument array and the boxed result.
    /// </summary>
    public static Func<object?[], object?> CompileUntyped(LambdaExpression ir)
    {
        var args = Expression.Parameter(typeof(object?[]), "args");
        var assignments = ir.Parameters.Select((p, i) => (Expression)Expression.Assign(p, Unbox(args, i, p.Type)));
        var body = Expression.Block(ir.Parameters, assignments.Append(Box(ScalarBody(ir))));
        return Expression.Lambda<Func<object?[], object?>>(WithNullRule(args, ir.Parameters.Select(p => p.Type).ToArray(), body), args).Compile();
    }

    /// <summary>
    /// The IR's body ready to compile as one scalar function: shared nodes that cannot throw bound to locals
    /// (hash-consed IR is a DAG, which the expression compiler would otherwise emit once per use), value-type
    /// instances that hold a throw spilled (<see cref="StackSpillGuard"/>), and its expanded size checked.
    /// </summary>
    private static Expression ScalarBody(LambdaExpression ir)
    {
        var body = StackSpillGuard.Apply(ScalarCompiler.Bind(ir).Body);
        KernelCompiler.CheckExpandedSize(body);
        return body;
    }

    /// <summary>An untyped entry point that calls <paramref name="original"/> with unboxed arguments.</summary>
    public static Func<object?[], object?> CompileUntyped(Delegate original)
    {
        var args = Expression.Parameter(typeof(object?[]), "args");
        var types = original.GetType().GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        var call = Expression.Invoke(Expression.Constant(original), types.Select((t, i) => Unbox(args, i, t)));
        return Expression.Lambda<Func<object?[], object?>>(WithNullRule(args, types, Box(call)), args).Compile();
    }

    /// <summary>
    /// Checks <paramref name="args"/> against <paramref name="parameters"/>: the count, and that each
    /// non-null argument is an instance of its parameter's type (a boxed <c>T</c> for a <c>T?</c> parameter).
    /// <paramref name="accepted"/> holds, per parameter, the runtime type a boxed argument has (see <see cref="AcceptedTypes"/>).
    /// </summary>
    public static void CheckArguments(IReadOnlyList<FunctionParameter> parameters, Type[] accepted, object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != parameters.Count)
            throw new ArgumentException($"The function takes {parameters.Count} argument(s); {args.Length} were given.", nameof(args));
        for (var i = 0; i < args.Length; i++)
        {
            // Boxed value types and sealed classes have exactly the parameter's (underlying) type: one compare.
            if (args[i] is not { } arg || arg.GetType() == accepted[i] || (!accepted[i].IsSealed && accepted[i].IsInstanceOfType(arg))) continue;
            var parameter = parameters[i];
            throw new ArgumentException(
                $"Argument {i} ('{parameter.Name}') is of type {TypeNames.Display(arg.GetType())}, but the parameter's type is {TypeNames.Display(parameter.Type)}.", nameof(args));
        }
    }

    /// <summary>Per parameter, the type its boxed argument has: <c>T</c> for <c>T</c> and <c>T?</c>, the type itself otherwise.</summary>
    public static Type[] AcceptedTypes(IReadOnlyList<FunctionParameter> parameters) =>
        parameters.Select(p => Nullable.GetUnderlyingType(p.Type) ?? p.Type).ToArray();

    private static Expression Unbox(ParameterExpression args, int index, Type type) =>
        Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(index)), type);

    private static Expression Box(Expression value) =>
        value.Type == typeof(object) ? value : Expression.Convert(value, typeof(object));

    /// <summary>Wraps <paramref name="body"/> so that a null argument for a non-nullable value-type parameter returns null.</summary>
    private static Expression WithNullRule(ParameterExpression args, Type[] types, Expression body)
    {
        Expression? anyNull = null;
        for (var i = 0; i < types.Length; i++)
        {
            if (!types[i].IsValueType || Nullable.GetUnderlyingType(types[i]) is not null) continue;
            var isNull = Expression.Equal(Expression.ArrayIndex(args, Expression.Constant(i)), Expression.Constant(null));
            anyNull = anyNull is null ? isNull : Expression.OrElse(anyNull, isNull);
        }
        return anyNull is null ? body : Expression.Condition(anyNull, Expression.Constant(null), body);
    }

    private static void CheckSignature(Type delegateType, Type[] parameterTypes, Type returnType)
    {
        var invoke = delegateType.GetMethod("Invoke", BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"{delegateType} is not a delegate type.");
        var expected = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        if (!expected.SequenceEqual(parameterTypes) || invoke.ReturnType != returnType)
            throw new ArgumentException(
                $"{TypeNames.Display(delegateType)} has signature {TypeNames.Signature(expected, invoke.ReturnType)}, " +
                $"but the function is {TypeNames.Signature(parameterTypes, returnType)}.");
    }
}

using System.Collections.Concurrent;
using System.Reflection;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// Calls a <c>Func&lt;…&gt;</c> of up to five parameters with one row of boxed arguments through a typed adapter
/// (unbox each argument, invoke the delegate directly), made once per delegate type. The reference path of the
/// differential check: unlike <see cref="Delegate.DynamicInvoke"/>, it neither wraps exceptions nor builds a
/// reflection invoker for every generated method. Other delegate types are called with DynamicInvoke.
/// </summary>
internal static class DelegateCaller
{
    private static readonly ConcurrentDictionary<Type, Func<Delegate, Func<object?[], object?>>> s_adapters = new();

    /// <summary>A caller of <paramref name="function"/>: arguments in parameter order; exceptions propagate unwrapped.</summary>
    public static Func<object?[], object?> For(Delegate function) => s_adapters.GetOrAdd(function.GetType(), Adapter)(function);

    private static Func<Delegate, Func<object?[], object?>> Adapter(Type delegateType)
    {
        var arguments = delegateType.IsGenericType ? delegateType.GetGenericArguments() : [];
        var name = delegateType.IsGenericType && delegateType.GetGenericTypeDefinition().FullName is { } definition
            && definition.StartsWith("System.Func`", StringComparison.Ordinal) ? $"Call{arguments.Length - 1}" : null;
        if (name is null || typeof(DelegateCaller).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static) is not { } method)
            return function => row => Unwrapped(function, row);
        return method.MakeGenericMethod(arguments).CreateDelegate<Func<Delegate, Func<object?[], object?>>>();
    }

    private static object? Unwrapped(Delegate function, object?[] row)
    {
        try
        {
            return function.DynamicInvoke(row);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } thrown)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(thrown);
            throw;
        }
    }

    private static Func<object?[], object?> Call0<R>(Delegate f) => row => ((Func<R>)f)();

    private static Func<object?[], object?> Call1<A, R>(Delegate f) => row => ((Func<A, R>)f)((A)row[0]!);

    private static Func<object?[], object?> Call2<A, B, R>(Delegate f) => row => ((Func<A, B, R>)f)((A)row[0]!, (B)row[1]!);

    private static Func<object?[], object?> Call3<A, B, C, R>(Delegate f) =>
        row => ((Func<A, B, C, R>)f)((A)row[0]!, (B)row[1]!, (C)row[2]!);

    private static Func<object?[], object?> Call4<A, B, C, D, R>(Delegate f) =>
        row => ((Func<A, B, C, D, R>)f)((A)row[0]!, (B)row[1]!, (C)row[2]!, (D)row[3]!);

    private static Func<object?[], object?> Call5<A, B, C, D, E, R>(Delegate f) =>
        row => ((Func<A, B, C, D, E, R>)f)((A)row[0]!, (B)row[1]!, (C)row[2]!, (D)row[3]!, (E)row[4]!);
}

using System.Reflection;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.TestSupport;

/// <summary>Generators of argument rows (one boxed value per parameter) for a parameter list.</summary>
public static class RowGenerators
{
    /// <summary>Rows for the given parameter types, each drawn from <see cref="ValueGenerators.For(Type)"/>.</summary>
    public static Gen<object?[]> For(IReadOnlyList<Type> parameterTypes) =>
        Gen.CollectToArray(parameterTypes.Select(ValueGenerators.For));

    /// <summary>Rows for a method's parameters.</summary>
    public static Gen<object?[]> For(MethodInfo method) => For(method.GetParameters().Select(p => p.ParameterType).ToArray());

    /// <summary>Rows for a delegate's parameters (those of its delegate type: a compiled expression's method has a closure first).</summary>
    public static Gen<object?[]> For(Delegate function) => For(function.GetType().GetMethod("Invoke")!);

    /// <summary><paramref name="count"/> rows, for tests that need fixed data (kernels against row-by-row runs).</summary>
    public static object?[][] Sample(IReadOnlyList<Type> parameterTypes, int count) => For(parameterTypes).Sample(count, 50);

    /// <summary>A copy of the row whose arrays are fresh, so a function that mutates an input cannot affect another run.</summary>
    public static object?[] Copy(object?[] row) => row.Select(value => value is Array array ? array.Clone() : value).ToArray();
}

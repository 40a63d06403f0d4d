namespace Dsl.Lowering.Ir;

/// <summary>The value types each aggregate kind handles exactly, and the result type of <c>Average</c>.</summary>
internal static class AggregateTypes
{
    private static readonly HashSet<Type> s_summable = [typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal)];

    private static readonly HashSet<Type> s_ordered =
    [
        typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(char), typeof(bool),
        typeof(float), typeof(double), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly),
    ];

    /// <summary>LINQ <c>Sum</c>/<c>Average</c> have an overload for it: <c>int</c>, <c>long</c>, <c>float</c>, <c>double</c>, <c>decimal</c> and their nullable forms.</summary>
    public static bool IsSummable(Type type) => s_summable.Contains(Nullable.GetUnderlyingType(type) ?? type);

    /// <summary>
    /// Ordered by <c>Comparer&lt;T&gt;.Default</c> independently of culture: numeric primitives, <c>char</c>, <c>bool</c>,
    /// <c>decimal</c>, the temporal types, enums and their nullable forms (not <c>string</c>, whose default order is the
    /// current culture's).
    /// </summary>
    public static bool IsOrdered(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return s_ordered.Contains(underlying) || underlying.IsEnum;
    }

    /// <summary>Values whose <c>EqualityComparer&lt;T&gt;.Default</c> compares contents: ordered types and <c>string</c> (ordinal).</summary>
    public static bool HasValueEquality(Type type) => type == typeof(string) || IsOrdered(type);

    /// <summary>LINQ <c>Average</c>'s result: <c>double</c> for integers, else the value type (nullable stays nullable).</summary>
    public static Type AverageType(Type valueType)
    {
        var underlying = Nullable.GetUnderlyingType(valueType);
        var core = underlying ?? valueType;
        var result = core == typeof(int) || core == typeof(long) ? typeof(double) : core;
        return underlying is null ? result : typeof(Nullable<>).MakeGenericType(result);
    }

    /// <summary>The type <c>Sum</c>/<c>Average</c> accumulate in: <c>long</c> for integers, <c>double</c> for <c>float</c>.</summary>
    public static Type AccumulatorType(Type valueType, bool average)
    {
        var core = Nullable.GetUnderlyingType(valueType) ?? valueType;
        if (core == typeof(float)) return typeof(double);
        if (average && core == typeof(int)) return typeof(long);
        return core;
    }
}

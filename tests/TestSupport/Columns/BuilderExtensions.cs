using Apache.Arrow;

namespace Dsl.TestSupport.Columns;

/// <summary>Appends nullable values to Apache.Arrow's primitive builders (theirs take a sequence of non-null values only).</summary>
public static class BuilderExtensions
{
    /// <summary>Appends each value, a null as a null row.</summary>
    public static TBuilder AppendNullable<T, TArray, TBuilder>(this PrimitiveArrayBuilder<T, TArray, TBuilder> builder, IEnumerable<T?> values)
        where T : struct
        where TArray : IArrowArray
        where TBuilder : class, IArrowArrayBuilder<TArray>
    {
        foreach (var value in values) builder.Append(value);
        return (TBuilder)(object)builder;
    }
}

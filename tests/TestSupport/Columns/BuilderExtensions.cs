using Apache.Arrow;

namespace Dsl.TestSupport.Columns;

/// <summary>Appends nullable values to Apache.Arrow's builders (null = a null row), which take them only one at a time.</summary>
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

    public static BooleanArray.Builder AppendNullable(this BooleanArray.Builder builder, IEnumerable<bool?> values)
    {
        foreach (var value in values) builder.NullableAppend(value);
        return builder;
    }

    public static StringArray.Builder AppendNullable(this StringArray.Builder builder, IEnumerable<string?> values)
    {
        foreach (var value in values) builder.Append(value);
        return builder;
    }

    public static LargeStringArray.Builder AppendNullable(this LargeStringArray.Builder builder, IEnumerable<string?> values)
    {
        foreach (var value in values) builder.Append(value);
        return builder;
    }

    public static BinaryArray.Builder AppendNullable(this BinaryArray.Builder builder, IEnumerable<byte[]?> values)
    {
        foreach (var value in values)
        {
            if (value is null) builder.AppendNull();
            else builder.Append(value.AsSpan());
        }

        return builder;
    }
}

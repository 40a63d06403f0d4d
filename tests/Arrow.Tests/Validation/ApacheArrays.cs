using Dsl.TestSupport.Columns;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Validation;

/// <summary>
/// Builds arrays of any type the validator supports from values (null = null row) with Apache.Arrow's builders and
/// array constructors: lists from offsets over a child, structs from their fields, dictionaries from indices over
/// the distinct values. Values: the CLR types of <see cref="TestSupport.Columns.ColumnValues"/>, <c>byte[]</c> for
/// binary, <c>object?[]</c> for list items and for struct fields, the decoded value for a dictionary row.
/// </summary>
internal static class ApacheArrays
{
    public static IArrowArray Build(IArrowType type, IReadOnlyList<object?> values) => type switch
    {
        Int8Type => new Int8Array.Builder().AppendNullable(values.Select(v => (sbyte?)v)).Build(),
        Int16Type => new Int16Array.Builder().AppendNullable(values.Select(v => (short?)v)).Build(),
        Int32Type => new Int32Array.Builder().AppendNullable(values.Select(v => (int?)v)).Build(),
        Int64Type => new Int64Array.Builder().AppendNullable(values.Select(v => (long?)v)).Build(),
        UInt8Type => new UInt8Array.Builder().AppendNullable(values.Select(v => (byte?)v)).Build(),
        UInt16Type => new UInt16Array.Builder().AppendNullable(values.Select(v => (ushort?)v)).Build(),
        UInt32Type => new UInt32Array.Builder().AppendNullable(values.Select(v => (uint?)v)).Build(),
        UInt64Type => new UInt64Array.Builder().AppendNullable(values.Select(v => (ulong?)v)).Build(),
        FloatType => new FloatArray.Builder().AppendNullable(values.Select(v => (float?)v)).Build(),
        DoubleType => new DoubleArray.Builder().AppendNullable(values.Select(v => (double?)v)).Build(),
        BooleanType => new BooleanArray.Builder().AppendNullable(values.Select(v => (bool?)v)).Build(),
        StringType => new StringArray.Builder().AppendNullable(values.Select(v => (string?)v)).Build(),
        LargeStringType => new LargeStringArray.Builder().AppendNullable(values.Select(v => (string?)v)).Build(),
        BinaryType => new BinaryArray.Builder().AppendNullable(values.Select(v => (byte[]?)v)).Build(),
        Date32Type => Each(new Date32Array.Builder(), values, (b, v) => b.Append((DateOnly)v), b => b.AppendNull()).Build(),
        TimestampType t => Each(new TimestampArray.Builder(t), values, (b, v) => b.Append(new DateTimeOffset((DateTime)v)), b => b.AppendNull()).Build(),
        DurationType t => Each(new DurationArray.Builder(t), values, (b, v) => b.Append((TimeSpan)v), b => b.AppendNull()).Build(),
        Decimal128Type t => Each(new Decimal128Array.Builder(t), values, (b, v) => b.Append((decimal)v), b => b.AppendNull()).Build(),
        ListType t => List(t, values),
        StructType t => Struct(t, values),
        DictionaryType t => Dictionary(t, values),
        _ => throw new NotSupportedException($"ApacheArrays cannot build {type}."),
    };

    private static TBuilder Each<TBuilder>(TBuilder builder, IReadOnlyList<object?> values, Action<TBuilder, object> append, Action<TBuilder> appendNull)
    {
        foreach (var value in values)
        {
            if (value is null) appendNull(builder);
            else append(builder, value);
        }

        return builder;
    }

    private static ListArray List(ListType type, IReadOnlyList<object?> values)
    {
        var items = new List<object?>();
        var offsets = new ArrowBuffer.Builder<int>().Append(0);
        foreach (var value in values)
        {
            if (value is System.Array array) items.AddRange(array.Cast<object?>());
            offsets.Append(items.Count);
        }

        var validity = Validity(values, out var nullCount);
        return new ListArray(type, values.Count, offsets.Build(), Build(type.ValueDataType, items), validity, nullCount);
    }

    private static StructArray Struct(StructType type, IReadOnlyList<object?> values)
    {
        var children = type.Fields.Select((field, k) => Build(field.DataType, [.. values.Select(v => v is object?[] row ? row[k] : null)]));
        var validity = Validity(values, out var nullCount);
        return new StructArray(type, values.Count, children, validity, nullCount);
    }

    private static DictionaryArray Dictionary(DictionaryType type, IReadOnlyList<object?> values)
    {
        var distinct = new List<object?>();
        var positions = new Dictionary<object, int>();
        var indices = new List<long?>();
        foreach (var value in values)
        {
            if (value is null)
            {
                indices.Add(null);
                continue;
            }

            if (!positions.TryGetValue(value, out var position))
            {
                positions[value] = position = distinct.Count;
                distinct.Add(value);
            }

            indices.Add(position);
        }

        var indexValues = indices.Select(i => i is { } index ? (object?)Convert.ChangeType(index, TestSupport.Columns.ColumnValues.ClrTypeOf(type.IndexType)) : null).ToList();
        return new DictionaryArray(type, Build(type.IndexType, indexValues), Build(type.ValueType, distinct));
    }

    private static ArrowBuffer Validity(IReadOnlyList<object?> values, out int nullCount)
    {
        var bitmap = new ArrowBuffer.BitmapBuilder();
        foreach (var value in values) bitmap.Append(value is not null);
        nullCount = bitmap.UnsetBitCount;
        return nullCount == 0 ? ArrowBuffer.Empty : bitmap.Build();
    }
}

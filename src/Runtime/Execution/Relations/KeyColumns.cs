using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>An integer key column read as 64-bit values (nulls read as 0; callers check validity).</summary>
internal static class IntegerKeys
{
    /// <summary>Whether a column of <paramref name="type"/> holds integers (a fixed-width integer, date32 or timestamp).</summary>
    public static bool IsInteger(IArrowType type) => type.TypeId is ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
        or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64 or ArrowTypeId.Date32 or ArrowTypeId.Timestamp;

    public static bool TryRead(IArrowArray column, out long[] values)
    {
        var data = column.Data;
        values = [];
        if (!IsInteger(data.DataType)) return false;
        var bytes = data.Buffers[1].Span;
        values = new long[column.Length];
        var offset = data.Offset;
        switch (data.DataType.TypeId)
        {
            case ArrowTypeId.Int8: Widen(MemoryMarshal.Cast<byte, sbyte>(bytes).Slice(offset, values.Length), values); break;
            case ArrowTypeId.Int16: Widen(MemoryMarshal.Cast<byte, short>(bytes).Slice(offset, values.Length), values); break;
            case ArrowTypeId.Int32 or ArrowTypeId.Date32: Widen(MemoryMarshal.Cast<byte, int>(bytes).Slice(offset, values.Length), values); break;
            case ArrowTypeId.UInt8: Widen(bytes.Slice(offset, values.Length), values); break;
            case ArrowTypeId.UInt16: Widen(MemoryMarshal.Cast<byte, ushort>(bytes).Slice(offset, values.Length), values); break;
            case ArrowTypeId.UInt32: Widen(MemoryMarshal.Cast<byte, uint>(bytes).Slice(offset, values.Length), values); break;
            default: MemoryMarshal.Cast<byte, long>(bytes).Slice(offset, values.Length).CopyTo(values); break; // int64, uint64 (same bits), timestamps
        }

        return true;
    }

    private static void Widen<T>(ReadOnlySpan<T> source, long[] target)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        for (var i = 0; i < source.Length; i++) target[i] = long.CreateTruncating(source[i]);
    }
}

/// <summary>The values of one row's key columns, compared by value (a composite or non-integer key).</summary>
internal readonly struct KeyValues : IEquatable<KeyValues>
{
    private readonly object?[] _values;

    private KeyValues(object?[] values, bool hasNull)
    {
        _values = values;
        HasNull = hasNull;
    }

    /// <summary>Whether some key column is null in this row.</summary>
    public bool HasNull { get; }

    public static KeyValues Read(IReadOnlyList<IArrowArray> columns, int row)
    {
        var values = new object?[columns.Count];
        var hasNull = false;
        for (var k = 0; k < values.Length; k++)
        {
            var column = columns[k];
            if (column.IsNull(row))
            {
                hasNull = true;
                continue;
            }

            values[k] = column switch
            {
                StringArray s => s.GetString(row),
                LargeStringArray s => s.GetString(row),
                BooleanArray b => b.GetValue(row),
                DoubleArray d => d.GetValue(row),
                FloatArray f => f.GetValue(row),
                _ when IntegerKeys.TryRead(column, out var ints) => ints[row],
                _ => throw new NotSupportedException($"A relation key cannot be of type {ArrowExtensions.Types.ArrowTypes.Describe(column.Data.DataType)}."),
            };
        }

        return new KeyValues(values, hasNull);
    }

    public bool Equals(KeyValues other) => _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => obj is KeyValues other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in _values) hash.Add(value);
        return hash.ToHashCode();
    }

    public override string ToString() => _values.Length == 1 ? Format(_values[0]) : $"({string.Join(", ", _values.Select(Format))})";

    private static string Format(object? value) => value is string s ? $"'{s}'" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null";
}

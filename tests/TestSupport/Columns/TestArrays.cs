using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;

namespace Dsl.TestSupport.Columns;

/// <summary>
/// Builds Apache.Arrow array data of any supported type from CLR values (null = null row), independently of
/// Apache.Arrow's builders, so tests can check readers against a second implementation of the layout. Buffers are
/// managed byte arrays (so kernels reading them pin managed memory). A leading <c>offset</c> of filler rows is sliced
/// off, producing sliced arrays with odd offsets.
/// </summary>
public static class TestArrays
{
    /// <summary>
    /// Array data of <paramref name="type"/> holding <paramref name="values"/> after <paramref name="offset"/>
    /// filler rows (sliced away). <paramref name="alwaysBitmap"/> writes a validity bitmap even without nulls.
    /// </summary>
    public static ArrayData Build(IArrowType type, IReadOnlyList<object?> values, int offset = 0, bool alwaysBitmap = false)
    {
        var rows = new object?[offset + values.Count];
        for (int i = 0; i < offset; i++) rows[i] = i % 3 == 0 ? null : Filler(type, i);
        for (int i = 0; i < values.Count; i++) rows[offset + i] = values[i];
        var full = BuildUnsliced(type, rows, alwaysBitmap);
        return offset == 0 ? full : full.Slice(offset, values.Count);
    }

    private static ArrayData BuildUnsliced(IArrowType type, object?[] rows, bool alwaysBitmap)
    {
        {
            bool anyNull = rows.Any(r => r is null);
            var validity = new byte[(rows.Length + 7) / 8 + 1];
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i] is not null) validity[i >> 3] |= (byte)(1 << (i & 7));
            }

            var validityBuffer = anyNull || alwaysBitmap ? new ArrowBuffer(validity) : ArrowBuffer.Empty;
            var children = new List<ArrayData>();
            var dataBuffers = new List<ArrowBuffer> { validityBuffer };
            switch (type)
            {
                case BooleanType:
                    {
                        var bits = new byte[(rows.Length + 7) / 8 + 1];
                        for (int i = 0; i < rows.Length; i++)
                        {
                            if (rows[i] is true) bits[i >> 3] |= (byte)(1 << (i & 7));
                        }

                        dataBuffers.Add(new ArrowBuffer(bits));
                        break;
                    }

                case StringType or LargeStringType:
                    {
                        bool large = type is LargeStringType;
                        var bytes = new List<byte>();
                        var offsets = new long[rows.Length + 1];
                        for (int i = 0; i < rows.Length; i++)
                        {
                            if (rows[i] is string text) bytes.AddRange(Encoding.UTF8.GetBytes(text));
                            offsets[i + 1] = bytes.Count;
                        }

                        dataBuffers.Add(large ? Bytes<long>(offsets) : Bytes<int>(offsets.Select(o => (int)o).ToArray()));
                        dataBuffers.Add(new ArrowBuffer(bytes.ToArray()));
                        break;
                    }

                case ListType list:
                    {
                        var items = new List<object?>();
                        var offsets = new int[rows.Length + 1];
                        for (int i = 0; i < rows.Length; i++)
                        {
                            if (rows[i] is System.Array array) items.AddRange(array.Cast<object?>());
                            offsets[i + 1] = items.Count;
                        }

                        dataBuffers.Add(Bytes<int>(offsets));
                        children.Add(BuildUnsliced(list.ValueDataType, [.. items], alwaysBitmap));
                        break;
                    }

                default:
                    {
                        dataBuffers.Add(FixedWidthBytes(type, rows));
                        break;
                    }
            }

            return new ArrayData(type, rows.Length, -1, 0, dataBuffers, children);
        }
    }

    /// <summary>As <see cref="Build"/>, wrapped in Apache.Arrow's typed array class for <paramref name="type"/>.</summary>
    public static IArrowArray Array(IArrowType type, IReadOnlyList<object?> values, int offset = 0, bool alwaysBitmap = false) =>
        ArrowArrayFactory.BuildArray(Build(type, values, offset, alwaysBitmap));

    /// <summary>A decimal128 array of raw unscaled values (null = null row), any value the type's 16 bytes hold.</summary>
    public static IArrowArray Decimal128(Decimal128Type type, IReadOnlyList<Int128?> unscaled)
    {
        var validity = new byte[(unscaled.Count + 7) / 8];
        var values = new Int128[unscaled.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (unscaled[i] is not { } value) continue;
            values[i] = value;
            validity[i >> 3] |= (byte)(1 << (i & 7));
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(type, values.Length, -1, 0, [new ArrowBuffer(validity), Bytes(values)]));
    }

    /// <summary>The values of a decimal128 result column read with the library's exact conversion (null = null row).</summary>
    public static decimal?[] Decimals(IArrowArray array)
    {
        var type = (Decimal128Type)array.Data.DataType;
        var raw = MemoryMarshal.Cast<byte, Int128>(array.Data.Buffers[1].Span)[array.Offset..];
        var values = new decimal?[array.Length];
        for (int i = 0; i < values.Length; i++) values[i] = array.IsNull(i) ? null : DecimalConversions.ToDecimal(raw[i], type.Scale);
        return values;
    }

    private static ArrowBuffer Bytes<T>(T[] values)
        where T : unmanaged => new(MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static ArrowBuffer FixedWidthBytes(IArrowType type, object?[] rows) => type switch
    {
        DoubleType => Values<double>(rows, v => (double)v),
        FloatType => Values<float>(rows, v => (float)v),
        Int8Type => Values<sbyte>(rows, v => (sbyte)v),
        Int16Type => Values<short>(rows, v => (short)v),
        Int32Type => Values<int>(rows, v => (int)v),
        Int64Type => Values<long>(rows, v => (long)v),
        UInt8Type => Values<byte>(rows, v => (byte)v),
        UInt16Type => Values<ushort>(rows, v => (ushort)v),
        UInt32Type => Values<uint>(rows, v => (uint)v),
        UInt64Type => Values<ulong>(rows, v => (ulong)v),
        Date32Type => Values<int>(rows, v => TemporalConversions.DaysFromDate((DateOnly)v)),
        TimestampType timestamp => Values<long>(rows, v => TemporalConversions.TimestampFromDateTime((DateTime)v, timestamp.Unit)),
        DurationType duration => Values<long>(rows, v => TemporalConversions.DurationFromTimeSpan((TimeSpan)v, duration.Unit)),
        Decimal128Type decimalType => Values<Int128>(rows, v => (Int128)(DecimalColumnValues.Unscaled((decimal)v, decimalType.Scale)
            ?? throw new ArgumentException($"{v} is not exact at scale {decimalType.Scale}"))),
        _ => throw new NotSupportedException($"TestArrays cannot build {type}."),
    };

    private static ArrowBuffer Values<T>(object?[] rows, Func<object, T> convert)
        where T : unmanaged
    {
        var values = new T[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is { } value) values[i] = convert(value);
        }

        return Bytes(values);
    }

    private static object Filler(IArrowType type, int i) => type switch
    {
        BooleanType => i % 2 == 0,
        StringType or LargeStringType => "filler" + i,
        ListType list => SingleItem(list.ValueDataType, Filler(list.ValueDataType, i)),
        DoubleType => (double)i, FloatType => (float)i, Int8Type => (sbyte)i, Int16Type => (short)i, Int32Type => i, Int64Type => (long)i,
        UInt8Type => (byte)i, UInt16Type => (ushort)i, UInt32Type => (uint)i, UInt64Type => (ulong)i,
        Date32Type => new DateOnly(2000, 1, 1).AddDays(i),
        TimestampType => new DateTime(2001, 1, 1, 0, 0, i, DateTimeKind.Utc),
        DurationType => TimeSpan.FromSeconds(i),
        Decimal128Type => 0m,
        _ => throw new NotSupportedException($"TestArrays cannot build {type}."),
    };

    private static System.Array SingleItem(IArrowType itemType, object value)
    {
        var array = System.Array.CreateInstance(ColumnValues.ClrTypeOf(itemType), 1);
        array.SetValue(value, 0);
        return array;
    }
}

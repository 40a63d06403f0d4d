using System.Text;
using Dsl.Arrow;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.TestSupport.Columns;

/// <summary>
/// Builds Arrow array data of any supported type from CLR values (null = null row), independently of the
/// library's builders, so tests can check readers against a second implementation of the layout. A leading
/// <c>offset</c> of filler rows is sliced off, producing sliced arrays with odd offsets.
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
        using var full = BuildUnsliced(type, rows, alwaysBitmap);
        return full.Slice(offset, values.Count);
    }

    private static ArrayData BuildUnsliced(IArrowType type, object?[] rows, bool alwaysBitmap)
    {
        var buffers = new List<NativeBuffer>();
        try
        {
            bool anyNull = rows.Any(r => r is null);
            var validity = NativeBuffer.Allocate((rows.Length + 7) / 8 + 1, zeroFill: true);
            buffers.Add(validity);
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i] is not null) validity.Span[i >> 3] |= (byte)(1 << (i & 7));
            }

            var validityBuffer = anyNull || alwaysBitmap ? validity.ToArrowBuffer() : ArrowBuffer.Empty;
            var children = new List<ArrayData>();
            var dataBuffers = new List<ArrowBuffer> { validityBuffer };
            switch (type)
            {
                case BooleanType:
                    {
                        var bits = NativeBuffer.Allocate((rows.Length + 7) / 8 + 1, zeroFill: true);
                        buffers.Add(bits);
                        for (int i = 0; i < rows.Length; i++)
                        {
                            if (rows[i] is true) bits.Span[i >> 3] |= (byte)(1 << (i & 7));
                        }

                        dataBuffers.Add(bits.ToArrowBuffer());
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

                        var offsetBuffer = large ? NativeBuffer.FromValues<long>(offsets) : NativeBuffer.FromValues<int>(offsets.Select(o => (int)o).ToArray());
                        var data = NativeBuffer.FromBytes(bytes.ToArray());
                        buffers.Add(offsetBuffer);
                        buffers.Add(data);
                        dataBuffers.Add(offsetBuffer.ToArrowBuffer());
                        dataBuffers.Add(data.ToArrowBuffer());
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

                        var offsetBuffer = NativeBuffer.FromValues<int>(offsets);
                        buffers.Add(offsetBuffer);
                        dataBuffers.Add(offsetBuffer.ToArrowBuffer());
                        children.Add(BuildUnsliced(list.ValueDataType, [.. items], alwaysBitmap));
                        break;
                    }

                default:
                    {
                        var values = FixedWidthBytes(type, rows);
                        buffers.Add(values);
                        dataBuffers.Add(values.ToArrowBuffer());
                        break;
                    }
            }

            var result = new ArrayData(type, rows.Length, ArrayData.UnknownNullCount, 0, dataBuffers, children);
            return result;
        }
        finally
        {
            foreach (var buffer in buffers) buffer.Dispose();
        }
    }

    private static NativeBuffer FixedWidthBytes(IArrowType type, object?[] rows) => type switch
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

    private static NativeBuffer Values<T>(object?[] rows, Func<object, T> convert)
        where T : unmanaged
    {
        var values = new T[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is { } value) values[i] = convert(value);
        }

        return NativeBuffer.FromValues<T>(values);
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

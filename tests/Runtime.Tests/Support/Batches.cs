using Dsl.Arrow;
using Dsl.Arrow.Types;

namespace Dsl.Runtime.Tests.Support;

/// <summary>Record batches built from boxed rows, and Arrow results read back as boxed values, for differential tests.</summary>
internal static class Batches
{
    /// <summary>A batch with one nullable column per (name, CLR type), filled from <paramref name="rows"/> (one boxed value per column).</summary>
    public static RecordBatch FromRows(IReadOnlyList<(string Name, Type Type)> columns, IReadOnlyList<object?[]> rows)
    {
        var arrays = columns.Select((c, k) => Column(Nullable.GetUnderlyingType(c.Type) ?? c.Type, rows.Select(r => r[k]))).ToArray();
        var schema = new Schema(columns.Select((c, k) => new Field(c.Name, arrays[k].DataType, nullable: true)));
        return new RecordBatch(schema, arrays, rows.Count);
    }

    /// <summary>One column of CLR type <paramref name="type"/> (non-nullable form) from boxed values (null = null row).</summary>
    public static IArrowArray Column(Type type, IEnumerable<object?> values)
    {
        IArrowArrayBuilder builder = type switch
        {
            _ when type == typeof(double) => Fill(new DoubleArray.Builder(), values, (b, v) => b.Append((double)v)),
            _ when type == typeof(float) => Fill(new FloatArray.Builder(), values, (b, v) => b.Append((float)v)),
            _ when type == typeof(long) => Fill(new Int64Array.Builder(), values, (b, v) => b.Append((long)v)),
            _ when type == typeof(int) => Fill(new Int32Array.Builder(), values, (b, v) => b.Append((int)v)),
            _ when type == typeof(short) => Fill(new Int16Array.Builder(), values, (b, v) => b.Append((short)v)),
            _ when type == typeof(sbyte) => Fill(new Int8Array.Builder(), values, (b, v) => b.Append((sbyte)v)),
            _ when type == typeof(ulong) => Fill(new UInt64Array.Builder(), values, (b, v) => b.Append((ulong)v)),
            _ when type == typeof(uint) => Fill(new UInt32Array.Builder(), values, (b, v) => b.Append((uint)v)),
            _ when type == typeof(ushort) => Fill(new UInt16Array.Builder(), values, (b, v) => b.Append((ushort)v)),
            _ when type == typeof(byte) => Fill(new UInt8Array.Builder(), values, (b, v) => b.Append((byte)v)),
            _ when type == typeof(bool) => Fill(new BooleanArray.Builder(), values, (b, v) => b.Append((bool)v)),
            _ when type == typeof(string) => Fill(new StringArray.Builder(), values, (b, v) => b.Append((string)v)),
            _ => throw new NotSupportedException($"No test column builder for {type}."),
        };
        using (builder) return builder.BuildArray();
    }

    /// <summary>Row <paramref name="row"/> of a result column as a boxed CLR value of <paramref name="clrType"/> (null for a null row).</summary>
    public static object? Value(IArrowArray array, int row, Type clrType)
    {
        if (array.IsNull(row)) return null;
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        return array switch
        {
            DoubleArray a => a.Values[row],
            FloatArray a => a.Values[row],
            Int64Array a => a.Values[row],
            Int32Array a => a.Values[row],
            Int16Array a => a.Values[row],
            Int8Array a => a.Values[row],
            UInt64Array a => a.Values[row],
            UInt32Array a => a.Values[row],
            UInt16Array a => a.Values[row],
            UInt8Array a => a.Values[row],
            BooleanArray a => a.GetValue(row),
            StringArray a => a.GetString(row),
            _ => throw new NotSupportedException($"No test reader for {array.DataType} as {type}."),
        };
    }

    /// <summary>Every row of a result column, boxed.</summary>
    public static object?[] Values(IArrowArray array, Type clrType) =>
        Enumerable.Range(0, array.Length).Select(i => Value(array, i, clrType)).ToArray();

    private static TBuilder Fill<TBuilder>(TBuilder builder, IEnumerable<object?> values, Action<TBuilder, object> append)
        where TBuilder : IArrowArrayBuilder
    {
        foreach (var value in values)
        {
            if (value is null) builder.AppendNullRow();
            else append(builder, value);
        }
        return builder;
    }
}

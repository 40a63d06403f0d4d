using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Engine.Values;

/// <summary>
/// Builds Apache.Arrow columns from CLR values of a feature's type, for the rows the engine assembles itself: the
/// one-row parent batch of a query (its inputs and looked-up features) and the rows a C# resolver returns.
/// </summary>
/// <remarks>
/// The mapping is the runtime's column binding read backwards: long → int64, double → float64, DateTime → timestamp[us, UTC],
/// and so on; a <c>T?</c> gives the column of <c>T</c> with nulls. A type with no mapping is a <see cref="NotSupportedException"/>
/// naming it, raised when the engine is built, not per query.
/// </remarks>
public static class ArrowColumns
{
    private static readonly TimestampType s_timestamp = new(TimeUnit.Microsecond, "UTC");

    /// <summary>
    /// The column named <paramref name="name"/> (ordinal comparison), or null. Apache.Arrow's <c>RecordBatch.Column(string)</c> hashes the
    /// name with the current culture's comparer (ICU) on every call, which showed in per-query profiles; the engine's batches have a few
    /// dozen columns at most, whose names it made itself, so a scan comparing ordinally is cheaper and exact.
    /// </summary>
    public static IArrowArray? Find(RecordBatch batch, string name)
    {
        var fields = batch.Schema.FieldsList;
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i].Name, name, StringComparison.Ordinal)) return batch.Column(i);
        }
        return null;
    }

    /// <summary>The Arrow type a column of CLR type <paramref name="type"/> (or its nullable form) is built with.</summary>
    /// <exception cref="NotSupportedException">The type has no column here.</exception>
    public static IArrowType TypeOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => BooleanType.Default,
        var t when t == typeof(sbyte) => Int8Type.Default,
        var t when t == typeof(short) => Int16Type.Default,
        var t when t == typeof(int) => Int32Type.Default,
        var t when t == typeof(long) => Int64Type.Default,
        var t when t == typeof(byte) => UInt8Type.Default,
        var t when t == typeof(ushort) => UInt16Type.Default,
        var t when t == typeof(uint) => UInt32Type.Default,
        var t when t == typeof(ulong) => UInt64Type.Default,
        var t when t == typeof(float) => FloatType.Default,
        var t when t == typeof(double) => DoubleType.Default,
        var t when t == typeof(string) => StringType.Default,
        var t when t == typeof(DateTime) => s_timestamp,
        var t when t == typeof(DateOnly) => Date32Type.Default,
        var t => throw new NotSupportedException($"The engine has no Arrow column for values of type {t.Name}."),
    };

    /// <summary>Whether <see cref="TypeOf"/> maps <paramref name="type"/>.</summary>
    public static bool IsSupported(Type type)
    {
        try
        {
            TypeOf(type);
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>A column of <paramref name="type"/> holding <paramref name="values"/> (null entries are nulls).</summary>
    /// <exception cref="InvalidCastException">A value is not of <paramref name="type"/>.</exception>
    public static IArrowArray Build(Type type, IReadOnlyList<object?> values) => TypeOf(type) switch
    {
        BooleanType => Fill(new BooleanArray.Builder(), values, v => (bool)v),
        Int8Type => Fill(new Int8Array.Builder(), values, v => (sbyte)v),
        Int16Type => Fill(new Int16Array.Builder(), values, v => (short)v),
        Int32Type => Fill(new Int32Array.Builder(), values, v => (int)v),
        Int64Type => Fill(new Int64Array.Builder(), values, v => (long)v),
        UInt8Type => Fill(new UInt8Array.Builder(), values, v => (byte)v),
        UInt16Type => Fill(new UInt16Array.Builder(), values, v => (ushort)v),
        UInt32Type => Fill(new UInt32Array.Builder(), values, v => (uint)v),
        UInt64Type => Fill(new UInt64Array.Builder(), values, v => (ulong)v),
        FloatType => Fill(new FloatArray.Builder(), values, v => (float)v),
        DoubleType => Fill(new DoubleArray.Builder(), values, v => (double)v),
        StringType => Strings(values),
        TimestampType => Fill(new TimestampArray.Builder(s_timestamp), values, v => new DateTimeOffset(DateTime.SpecifyKind((DateTime)v, DateTimeKind.Utc))),
        Date32Type => Fill<DateOnly, Date32Array, Date32Array.Builder>(new Date32Array.Builder(), values, v => (DateOnly)v),
        var other => throw new NotSupportedException($"The engine has no Arrow column for {other.Name}."),
    };

    /// <summary>A batch of the named columns, each built from its values (all lists of one length).</summary>
    public static RecordBatch Batch(IReadOnlyList<(string Name, Type Type, IReadOnlyList<object?> Values)> columns, int length)
    {
        var fields = columns.Select(c => new Field(c.Name, TypeOf(c.Type), true)).ToList();
        var arrays = columns.Select(c => Build(c.Type, c.Values)).ToList();
        return new RecordBatch(new Schema(fields, null), arrays, length);
    }

    private static IArrowArray Fill<T, TArray, TBuilder>(IArrowArrayBuilder<T, TArray, TBuilder> builder, IReadOnlyList<object?> values, Func<object, T> convert)
        where TArray : IArrowArray
        where TBuilder : IArrowArrayBuilder<TArray>
    {
        foreach (var value in values)
        {
            if (value is null) builder.AppendNull();
            else builder.Append(convert(value));
        }
        return builder.Build(ManagedMemoryAllocator.Instance);
    }

    /// <summary>Strings: the string builder appends UTF-8 bytes, not strings, through the generic builder interface.</summary>
    private static StringArray Strings(IReadOnlyList<object?> values)
    {
        var builder = new StringArray.Builder();
        foreach (var value in values)
        {
            if (value is null) builder.AppendNull();
            else builder.Append((string)value);
        }
        return builder.Build(ManagedMemoryAllocator.Instance);
    }
}

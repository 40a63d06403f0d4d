using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Types;

namespace Dsl.Engine.Offline;

/// <summary>The column conversions the offline store and queries need: keys to int64 or UTF-8, timestamps to microseconds.</summary>
internal static class OfflineArrays
{
    /// <summary>The type times are stored with.</summary>
    public static readonly TimestampType Micros = new(TimeUnit.Microsecond, "UTC");

    /// <summary>Whether a column of <paramref name="type"/> can be an entity key: an integer or a string.</summary>
    public static bool IsKeyType(IArrowType type) => type is Int8Type or Int16Type or Int32Type or Int64Type or UInt8Type or UInt16Type or UInt32Type
        or StringType;

    /// <summary>
    /// <paramref name="column"/> as a stored key column: integers widened to int64, strings as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The column is of another type or has a null (naming <paramref name="what"/>).</exception>
    public static IArrowArray Key(IArrowArray column, string what)
    {
        if (!IsKeyType(column.Data.DataType))
            throw new ArgumentException($"{what} is {ArrowTypes.Describe(column.Data.DataType)}; an entity key is an integer or a string.");
        if (column.NullCount > 0)
            throw new ArgumentException($"{what} has a null at row {FirstNull(column)}; every row needs its entity's key.");
        if (column is StringArray or Int64Array) return column;
        var values = new long[column.Length];
        for (var i = 0; i < values.Length; i++) values[i] = Convert.ToInt64(Values.ArrowCells.Read(column, i), System.Globalization.CultureInfo.InvariantCulture);
        return Int64(values);
    }

    /// <summary>A timestamp column's values as microseconds since the epoch (UTC).</summary>
    /// <exception cref="ArgumentException">The column is not a timestamp or has a null (naming <paramref name="what"/>).</exception>
    public static long[] MicrosOf(IArrowArray column, string what)
    {
        if (column is not TimestampArray timestamps)
            throw new ArgumentException($"{what} is {ArrowTypes.Describe(column.Data.DataType)}, not a timestamp.");
        if (column.NullCount > 0)
            throw new ArgumentException($"{what} has a null at row {FirstNull(column)}; every row needs its time.");
        var unit = ((TimestampType)column.Data.DataType).Unit;
        var values = new long[column.Length];
        var raw = timestamps.Values;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = unit switch
            {
                TimeUnit.Second => checked(raw[i] * 1_000_000),
                TimeUnit.Millisecond => checked(raw[i] * 1_000),
                TimeUnit.Microsecond => raw[i],
                _ => Math.DivRem(raw[i], 1_000, out var rest) - (rest < 0 ? 1 : 0),
            };
        }
        return values;
    }

    /// <summary>A timestamp[us, UTC] column of <paramref name="micros"/>.</summary>
    public static TimestampArray Timestamps(long[] micros) => new(new ArrayData(Micros, micros.Length, 0, 0,
        [ArrowBuffer.Empty, new ArrowBuffer(MemoryMarshal.AsBytes(micros.AsSpan()).ToArray())]));

    /// <summary>An int64 column of <paramref name="values"/>.</summary>
    public static Int64Array Int64(long[] values) => new(new ArrayData(Int64Type.Default, values.Length, 0, 0,
        [ArrowBuffer.Empty, new ArrowBuffer(MemoryMarshal.AsBytes(values.AsSpan()).ToArray())]));

    /// <summary>Microseconds since the epoch as a UTC time.</summary>
    public static DateTime ToDateTime(long micros) => TemporalConversions.DateTimeFromTimestamp(micros, TimeUnit.Microsecond);

    /// <summary>A UTC time as microseconds since the epoch (truncated to the microsecond).</summary>
    public static long FromDateTime(DateTime time) =>
        TemporalConversions.TimestampFromDateTime(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time, TimeUnit.Microsecond);

    private static int FirstNull(IArrowArray column)
    {
        for (var i = 0; i < column.Length; i++)
        {
            if (column.IsNull(i)) return i;
        }
        return -1;
    }
}

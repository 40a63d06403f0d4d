using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;

namespace Dsl.Engine.Values;

/// <summary>Reads one value of an Apache.Arrow column as a CLR object: what a query returns for a feature.</summary>
public static class ArrowCells
{
    /// <summary>
    /// The value at <paramref name="row"/>: null for a null; long, int, double, bool, string… for the primitive types;
    /// DateTime (UTC) for timestamps; DateOnly for dates; TimeSpan for durations; decimal for decimal128.
    /// </summary>
    /// <exception cref="NotSupportedException">The column's type has no CLR reading here (lists, structs).</exception>
    public static object? Read(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        BooleanArray a => a.GetValue(row),
        Int8Array a => a.GetValue(row),
        Int16Array a => a.GetValue(row),
        Int32Array a => a.GetValue(row),
        Int64Array a => a.GetValue(row),
        UInt8Array a => a.GetValue(row),
        UInt16Array a => a.GetValue(row),
        UInt32Array a => a.GetValue(row),
        UInt64Array a => a.GetValue(row),
        FloatArray a => a.GetValue(row),
        DoubleArray a => a.GetValue(row),
        StringArray a => a.GetString(row),
        LargeStringArray a => a.GetString(row),
        TimestampArray a => TemporalConversions.DateTimeFromTimestamp(a.Values[row], ((TimestampType)a.Data.DataType).Unit),
        Date32Array a => a.GetDateOnly(row),
        DurationArray a => TemporalConversions.TimeSpanFromDuration(a.Values[row], ((DurationType)a.Data.DataType).Unit),
        Decimal128Array a => a.GetValue(row),
        _ => throw new NotSupportedException($"The engine cannot read a value of a {array.Data.DataType.Name} column."),
    };
}

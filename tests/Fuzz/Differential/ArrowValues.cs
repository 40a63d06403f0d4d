using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Types;

namespace Dsl.Fuzz.Differential;

/// <summary>Boxed CLR values of Arrow array rows (null for a null row), for comparing results.</summary>
internal static class ArrowValues
{
    /// <summary>
    /// Row <paramref name="row"/> of <paramref name="array"/>. Timestamps convert through
    /// <see cref="TemporalConversions"/> (what every path of the engine uses), list rows are their element values.
    /// </summary>
    public static object? Get(IArrowArray array, int row) => array.IsNull(row) ? null : array switch
    {
        DoubleArray a => a.Values[row],
        FloatArray a => a.Values[row],
        Int64Array a => a.Values[row],
        Int32Array a => a.Values[row],
        BooleanArray a => a.GetValue(row),
        StringArray a => a.GetString(row),
        TimestampArray a => TemporalConversions.DateTimeFromTimestamp(a.Values[row], ((TimestampType)a.Data.DataType).Unit),
        ListArray { Values: DoubleArray items } a => items.Values[a.ValueOffsets[row]..a.ValueOffsets[row + 1]].ToArray(),
        ListArray { Values: Int64Array items } a => items.Values[a.ValueOffsets[row]..a.ValueOffsets[row + 1]].ToArray(),
        _ => throw new NotSupportedException($"The fuzzer reads no {ArrowTypes.Describe(array.Data.DataType)} arrays yet."),
    };
}

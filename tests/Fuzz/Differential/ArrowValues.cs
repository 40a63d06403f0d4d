using Dsl.Arrow;

namespace Dsl.Fuzz.Differential;

/// <summary>Boxed CLR values of Arrow array rows (null for a null row), for comparing results.</summary>
internal static class ArrowValues
{
    public static object? Get(IArrowArray array, int row) => array.IsNull(row) ? null : array switch
    {
        DoubleArray a => a.Values[row],
        FloatArray a => a.Values[row],
        Int64Array a => a.Values[row],
        Int32Array a => a.Values[row],
        BooleanArray a => a.GetValue(row),
        StringArray a => a.GetString(row),
        TimestampArray a => a.GetDateTime(row),
        ListArray a when a.Type.ValueDataType is Dsl.Arrow.Types.DoubleType => a.GetValues<double>(row).ToArray(),
        ListArray a when a.Type.ValueDataType is Dsl.Arrow.Types.Int64Type => a.GetValues<long>(row).ToArray(),
        _ => throw new NotSupportedException($"The fuzzer reads no {array.DataType} arrays yet."),
    };
}

using Apache.Arrow;

namespace Dsl.Cli.Demo;

/// <summary>Reads one value of a result column as an object, for comparing the compiled and row-by-row paths.</summary>
internal static class ArrowValues
{
    public static object? Get(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        DoubleArray d => BitConverter.DoubleToInt64Bits(d.Values[row]), // bit-exact, so NaN equals NaN and -0 differs from 0
        FloatArray f => BitConverter.SingleToInt32Bits(f.Values[row]),
        Int64Array l => l.Values[row],
        Int32Array i => i.Values[row],
        BooleanArray b => b.GetValue(row),
        StringArray s => s.GetString(row),
        _ => throw new NotSupportedException($"comparing {array.Data.DataType.Name} columns"),
    };

    /// <summary>The number of rows where the two columns differ (value or null).</summary>
    public static int Mismatches(IArrowArray left, IArrowArray right)
    {
        var count = 0;
        for (var row = 0; row < left.Length; row++)
        {
            if (!Equals(Get(left, row), Get(right, row))) count++;
        }
        return count;
    }
}

using System.Globalization;
using System.Text;

namespace Dsl.ArrowExtensions.Tests.Support;

/// <summary>
/// Reads every value of an array through Apache.Arrow's own typed accessors (<c>GetValue</c>, <c>GetString</c>,
/// <c>GetBytes</c>, <c>GetSlicedValues</c>, <c>Fields</c>, <c>Indices</c>/<c>Dictionary</c>) and renders them as
/// text, so tests can both prove that a validated array reads without a fault and compare arrays by value.
/// </summary>
/// <remarks>
/// Strings are first read with <c>GetBytes</c>, which slices a span and throws when an offset lies outside the data
/// buffer; <c>GetString</c> alone decodes from a raw pointer and would read past the buffer without noticing, so
/// a test relying on it could pass over an out-of-bounds read. Floating-point values render as their bits (NaN
/// payloads and -0 included), decimals through <c>GetString</c> (exact at any precision).
/// </remarks>
internal static class ArrayValues
{
    /// <summary>Every row of every column, one line per column.</summary>
    public static string Render(RecordBatch batch) =>
        string.Join("\n", Enumerable.Range(0, batch.ColumnCount).Select(i => $"{batch.Schema.FieldsList[i].Name}: {Render(batch.Column(i))}"));

    /// <summary>Every row of <paramref name="array"/>: <c>[1, null, 3]</c>.</summary>
    public static string Render(IArrowArray array)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < array.Length; i++)
        {
            if (i > 0) text.Append(", ");
            RenderRow(array, i, text);
        }

        return text.Append(']').ToString();
    }

    private static void RenderRow(IArrowArray array, int row, StringBuilder text)
    {
        if (array.IsNull(row))
        {
            text.Append("null");
            return;
        }

        switch (array)
        {
            case BooleanArray booleans: text.Append(booleans.GetValue(row)!.Value ? "true" : "false"); break;
            case Int8Array a: text.Append(a.GetValue(row)); break;
            case Int16Array a: text.Append(a.GetValue(row)); break;
            case Int32Array a: text.Append(a.GetValue(row)); break;
            case Int64Array a: text.Append(a.GetValue(row)); break;
            case UInt8Array a: text.Append(a.GetValue(row)); break;
            case UInt16Array a: text.Append(a.GetValue(row)); break;
            case UInt32Array a: text.Append(a.GetValue(row)); break;
            case UInt64Array a: text.Append(a.GetValue(row)); break;
            case FloatArray a: text.Append("f").Append(BitConverter.SingleToUInt32Bits(a.GetValue(row)!.Value).ToString("x8", CultureInfo.InvariantCulture)); break;
            case DoubleArray a: text.Append("d").Append(BitConverter.DoubleToUInt64Bits(a.GetValue(row)!.Value).ToString("x16", CultureInfo.InvariantCulture)); break;
            case Date32Array a: text.Append("date ").Append(a.GetValue(row)); break;
            case TimestampArray a: text.Append("ts ").Append(a.GetValue(row)); break;
            case DurationArray a: text.Append("dur ").Append(a.GetValue(row)); break;
            case Decimal128Array a: text.Append("dec ").Append(a.GetString(row)); break;
            case StringArray a:
                _ = a.GetBytes(row);
                Quote(a.GetString(row), text);
                break;
            case LargeStringArray a:
                _ = a.GetBytes(row);
                Quote(a.GetString(row), text);
                break;
            case BinaryArray a: text.Append("0x").Append(Convert.ToHexStringLower(a.GetBytes(row))); break;
            case LargeBinaryArray a: text.Append("0x").Append(Convert.ToHexStringLower(a.GetBytes(row))); break;
            case ListArray a: text.Append(Render(a.GetSlicedValues(row))); break;
            case StructArray a:
                {
                    var fields = ((StructType)a.Data.DataType).Fields;
                    text.Append('{');
                    for (var k = 0; k < a.Fields.Count; k++)
                    {
                        text.Append(k == 0 ? "" : ", ").Append(fields[k].Name).Append(": ");
                        RenderRow(a.Fields[k], row, text);
                    }

                    text.Append('}');
                    break;
                }

            case DictionaryArray a:
                RenderRow(a.Dictionary, checked((int)Index(a.Indices, row)), text);
                break;
            default:
                throw new NotSupportedException($"ArrayValues cannot read {array.GetType().Name}.");
        }
    }

    private static long Index(IArrowArray indices, int row) => indices switch
    {
        Int8Array a => a.GetValue(row)!.Value,
        Int16Array a => a.GetValue(row)!.Value,
        Int32Array a => a.GetValue(row)!.Value,
        Int64Array a => a.GetValue(row)!.Value,
        UInt8Array a => a.GetValue(row)!.Value,
        UInt16Array a => a.GetValue(row)!.Value,
        UInt32Array a => a.GetValue(row)!.Value,
        UInt64Array a => checked((long)a.GetValue(row)!.Value),
        _ => throw new NotSupportedException($"Dictionary indices of {indices.GetType().Name}."),
    };

    private static void Quote(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') text.Append('\\').Append(c);
            else if (char.IsControl(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }

        text.Append('"');
    }
}

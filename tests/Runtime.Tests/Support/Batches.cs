using Apache.Arrow;
using Dsl.Codegen.Columns;
using Dsl.TestSupport.Columns;

namespace Dsl.Runtime.Tests.Support;

/// <summary>Record batches built from boxed rows, and Arrow results read back as boxed values, for differential tests.</summary>
internal static class Batches
{
    /// <summary>
    /// A batch with one nullable column per (name, CLR type), filled from <paramref name="rows"/> (one boxed value per
    /// column); <paramref name="offset"/> filler rows are sliced off the front of every column.
    /// </summary>
    public static RecordBatch FromRows(IReadOnlyList<(string Name, Type Type)> columns, IReadOnlyList<object?[]> rows, int offset = 0)
    {
        var arrays = columns.Select((c, k) => Column(Nullable.GetUnderlyingType(c.Type) ?? c.Type, rows.Select(r => r[k]), offset)).ToArray();
        var schema = new Schema(columns.Select((c, k) => new Field(c.Name, arrays[k].Data.DataType, nullable: true)), null);
        return new RecordBatch(schema, arrays, rows.Count);
    }

    /// <summary>One column of CLR type <paramref name="type"/> (non-nullable form) from boxed values (null = null row), sliced by <paramref name="offset"/> filler rows.</summary>
    public static IArrowArray Column(Type type, IEnumerable<object?> values, int offset = 0) =>
        ArrowArrayFactory.BuildArray(TestArrays.Build(ColumnTypes.ArrowTypeOf(type), values.ToArray(), offset));

    /// <summary>Row <paramref name="row"/> of a result column as a boxed CLR value of <paramref name="clrType"/> (null for a null row).</summary>
    public static object? Value(IArrowArray array, int row, Type clrType)
    {
        if (array.IsNull(row)) return null;
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        if (type == typeof(char) && array is UInt16Array units) return (char)units.Values[row];
        if (type.IsEnum) return Enum.ToObject(type, Value(array, row, Enum.GetUnderlyingType(type))!);
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
            TimestampArray a => Dsl.ArrowExtensions.TemporalConversions.DateTimeFromTimestamp(a.Values[row], ((Apache.Arrow.Types.TimestampType)a.Data.DataType).Unit),
            Decimal128Array => Dsl.TestSupport.Columns.TestArrays.Decimals(array)[row],
            _ => throw new NotSupportedException($"No test reader for {array.Data.DataType.Name} as {type}."),
        };
    }

    /// <summary>Every row of a result column, boxed.</summary>
    public static object?[] Values(IArrowArray array, Type clrType) =>
        Enumerable.Range(0, array.Length).Select(i => Value(array, i, clrType)).ToArray();
}

using Apache.Arrow;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Types;
using Dsl.Runtime.Files;
using Dsl.TestSupport.Columns;

namespace Dsl.Cli.Tests.Support;

/// <summary>Writes test inputs as Arrow IPC (file or stream, compressed or not) or Parquet files and reads the tool's outputs back.</summary>
internal static class ArrowFiles
{
    public static void Write(string path, params (string Name, IArrowArray Column)[] columns) => Write(path, BatchFiles.FormatForExtension(path), ArrowCompression.None, columns);

    public static void Write(string path, bool stream, params (string Name, IArrowArray Column)[] columns) =>
        Write(path, stream ? BatchFileFormat.ArrowStream : BatchFileFormat.ArrowFile, ArrowCompression.None, columns);

    public static void Write(string path, BatchFileFormat format, ArrowCompression compression, params (string Name, IArrowArray Column)[] columns)
    {
        var schema = new Schema(columns.Select(c => new Field(c.Name, c.Column.Data.DataType, nullable: true)), null);
        var batch = new RecordBatch(schema, columns.Select(c => c.Column), columns.Length == 0 ? 0 : columns[0].Column.Length);
        using var writer = BatchFiles.Create(path, schema, format, compression);
        writer.Write(batch);
    }

    /// <summary>The output's fields and every column's values (all batches), read generically.</summary>
    public static (IReadOnlyList<Field> Fields, IReadOnlyList<object?[]> Columns) Read(string path)
    {
        using var reader = BatchFiles.OpenRead(path);
        var fields = reader.Schema.FieldsList;
        var columns = fields.Select(_ => new List<object?>()).ToList();
        while (reader.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
        {
            using (batch)
            {
                ArrowValidator.Validate(batch);
                for (var c = 0; c < fields.Count; c++)
                {
                    var array = batch.Column(c);
                    for (var row = 0; row < batch.Length; row++) columns[c].Add(Value(array, row));
                }
            }
        }
        return (fields, columns.Select(c => c.ToArray()).ToList());
    }

    /// <summary>The readable name of a field's type (<c>double</c>, <c>utf8</c>, <c>decimal128(38, 28)</c>).</summary>
    public static string TypeName(Field field) => ArrowTypes.Describe(field.DataType);

    private static object? Value(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        DoubleArray a => a.Values[row],
        Int32Array a => a.Values[row],
        Int64Array a => a.Values[row],
        BooleanArray a => a.GetValue(row),
        StringArray a => a.GetString(row),
        TimestampArray a => a.GetTimestamp(row)!.Value.UtcDateTime,
        Decimal128Array => TestArrays.Decimals(array)[row],
        StructArray a => a.Fields.Select(field => Value(field, row)).ToArray(),
        _ => throw new NotSupportedException(ArrowTypes.Describe(array.Data.DataType)),
    };

    public static DoubleArray Doubles(params double?[] values) => new DoubleArray.Builder().AppendNullable(values).Build();

    public static Int32Array Ints(params int?[] values) => new Int32Array.Builder().AppendNullable(values).Build();

    public static StringArray Strings(params string?[] values) => new StringArray.Builder().AppendRange(values).Build();

    public static Int64Array Longs(params long?[] values) => new Int64Array.Builder().AppendNullable(values).Build();

    /// <summary>A UTC timestamp column in microseconds, as DuckDB and pandas write them.</summary>
    public static TimestampArray Times(params DateTime[] values) =>
        new TimestampArray.Builder(new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC")).AppendRange(values.Select(v => new DateTimeOffset(v))).Build();
}

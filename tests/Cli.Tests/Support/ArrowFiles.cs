using Dsl.Arrow;
using Dsl.Arrow.Ipc;

namespace Dsl.Cli.Tests.Support;

/// <summary>Writes test inputs as Arrow IPC files or streams and reads the tool's outputs back.</summary>
internal static class ArrowFiles
{
    public static void Write(string path, params (string Name, IArrowArray Column)[] columns) => Write(path, stream: false, columns);

    public static void Write(string path, bool stream, params (string Name, IArrowArray Column)[] columns)
    {
        var schema = new Schema(columns.Select(c => new Field(c.Name, c.Column.DataType, nullable: true)));
        using var batch = new RecordBatch(schema, columns.Select(c => c.Column), columns.Length == 0 ? 0 : columns[0].Column.Length);
        using var file = File.Create(path);
        using var writer = stream ? new ArrowStreamWriter(file, schema) : new ArrowFileWriter(file, schema);
        writer.WriteRecordBatch(batch);
        writer.WriteEnd();
    }

    /// <summary>The output's column names and every column's values (all batches), read generically.</summary>
    public static (IReadOnlyList<Field> Fields, IReadOnlyList<object?[]> Columns) Read(string path)
    {
        using var reader = ArrowIpc.Open(path);
        var fields = reader.Schema.FieldsList;
        var columns = fields.Select(_ => new List<object?>()).ToList();
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                for (var c = 0; c < fields.Count; c++)
                {
                    var array = batch.Column(c);
                    for (var row = 0; row < batch.Length; row++) columns[c].Add(Value(array, row));
                }
            }
        }
        return (fields, columns.Select(c => c.ToArray()).ToList());
    }

    private static object? Value(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        DoubleArray a => a.Values[row],
        Int32Array a => a.Values[row],
        Int64Array a => a.Values[row],
        BooleanArray a => a.GetValue(row),
        StringArray a => a.GetString(row),
        Decimal128Array a => a.GetValue(row),
        StructArray a => a.Fields.Select(field => Value(field, row)).ToArray(),
        _ => throw new NotSupportedException(array.DataType.ToString()),
    };

    public static DoubleArray Doubles(params double?[] values) => new DoubleArray.Builder().AppendRange(values).Build();

    public static Int32Array Ints(params int?[] values) => new Int32Array.Builder().AppendRange(values).Build();

    public static StringArray Strings(params string?[] values) => new StringArray.Builder().AppendRange(values).Build();
}

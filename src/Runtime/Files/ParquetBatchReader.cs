using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Dsl.Runtime.Files;

/// <summary>
/// Parquet read as Apache.Arrow record batches by ParquetSharp's Arrow reader (Apache Parquet C++ through the C Data
/// Interface: columnar, no row-by-row conversion). Batches are validated before kernels read them, as every input is.
/// </summary>
internal sealed class ParquetBatchReader : IArrowArrayStream
{
    private readonly ParquetSharp.Arrow.FileReader _file;
    private readonly IArrowArrayStream _batches;

    private ParquetBatchReader(ParquetSharp.Arrow.FileReader file, IArrowArrayStream batches)
    {
        _file = file;
        _batches = batches;
    }

    public Schema Schema => _batches.Schema;

    /// <summary>Rows per batch: large enough that a kernel call's fixed cost is nothing per row, small enough to stay in memory.</summary>
    private const int RowsPerBatch = 1 << 20;

    /// <param name="path">The Parquet file.</param>
    /// <param name="columns">The columns to read (exact field names, in the file's order) chosen from the file's schema, or
    /// null for all: Parquet is columnar, so a column not read is not decoded at all.</param>
    public static ParquetBatchReader Open(string path, Func<Schema, IReadOnlyCollection<string>?> columns)
    {
        using var arrowProperties = ParquetSharp.Arrow.ArrowReaderProperties.GetDefault();
        arrowProperties.BatchSize = RowsPerBatch;
        arrowProperties.UseThreads = true; // decode the projected columns in parallel
        var file = new ParquetSharp.Arrow.FileReader(path, arrowProperties: arrowProperties);
        try
        {
            int[]? indexes = null;
            if (columns(file.Schema) is { } wanted)
            {
                var fields = file.Schema.FieldsList;
                indexes = Enumerable.Range(0, fields.Count).Where(i => wanted.Contains(fields[i].Name)).ToArray();
            }
            return new ParquetBatchReader(file, file.GetRecordBatchReader(columns: indexes));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The file's schema, from its footer.</summary>
    public static Schema ReadSchema(string path)
    {
        using var file = new ParquetSharp.Arrow.FileReader(path);
        return file.Schema;
    }

    public ValueTask<RecordBatch> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default) =>
        _batches.ReadNextRecordBatchAsync(cancellationToken);

    public void Dispose()
    {
        _batches.Dispose();
        _file.Dispose();
    }
}

/// <summary>Writes Apache.Arrow record batches as one Parquet file through ParquetSharp's Arrow writer.</summary>
internal sealed class ParquetBatchWriter(string path, Schema schema) : IDisposable
{
    private readonly ParquetSharp.Arrow.FileWriter _file = new(path, schema);
    private bool _closed;

    public void Write(RecordBatch batch) => _file.WriteRecordBatch(batch);

    public void Dispose()
    {
        if (!_closed)
        {
            _closed = true;
            _file.Close();
        }

        _file.Dispose();
    }
}

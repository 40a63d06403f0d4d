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

    public static ParquetBatchReader Open(string path)
    {
        var file = new ParquetSharp.Arrow.FileReader(path);
        try
        {
            return new ParquetBatchReader(file, file.GetRecordBatchReader());
        }
        catch
        {
            file.Dispose();
            throw;
        }
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

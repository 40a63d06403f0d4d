using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>How the buffers of written Arrow IPC data are compressed.</summary>
public enum ArrowCompression
{
    /// <summary>Not compressed: readers map the file zero-copy.</summary>
    None,

    /// <summary>LZ4 frames: fast, moderate ratio.</summary>
    Lz4,

    /// <summary>ZSTD frames: slower, better ratio.</summary>
    Zstd,
}

/// <summary>Options for <see cref="ArrowBatchWriter"/>.</summary>
public sealed record ArrowWriteOptions
{
    /// <summary>The IPC format (file by default: random access and zero-copy reads).</summary>
    public ArrowIpcFormat Format { get; init; } = ArrowIpcFormat.File;

    /// <summary>Buffer compression (none by default).</summary>
    public ArrowCompression Compression { get; init; } = ArrowCompression.None;
}

/// <summary>
/// Writes record batches as Arrow IPC (file or stream format, optionally LZ4 or ZSTD compressed) through Apache.Arrow's
/// writers, with the guards they lack: a dictionary-encoded column whose dictionary changes between batches is refused
/// (Apache.Arrow 23 writes only the first dictionary, and later batches read back decoded through it: wrong values, or
/// indices past its end; see <see cref="DictionaryGuard"/>); a batch
/// whose columns are not the schema's is refused; arrays are handed over at offset 0 with zero-based offsets (Apache.Arrow
/// 23 shifts the values of arrays whose offsets start above zero, and writes empty slices of string and list arrays
/// unreadably: see <see cref="CanonicalLayout"/>); and a file or stream without batches still gets its magic and schema.
/// </summary>
public sealed class ArrowBatchWriter : IDisposable
{
    private readonly ArrowStreamWriter _writer;
    private readonly DictionaryGuard _dictionaryGuard = new();
    private bool _finished;

    private ArrowBatchWriter(Stream stream, Schema schema, bool leaveOpen, ArrowWriteOptions options)
    {
        var ipc = new IpcOptions();
        if (options.Compression != ArrowCompression.None)
        {
            ipc.CompressionCodecFactory = new CompressionCodecFactory();
            ipc.CompressionCodec = options.Compression == ArrowCompression.Lz4 ? CompressionCodecType.Lz4Frame : CompressionCodecType.Zstd;
        }

        _writer = options.Format == ArrowIpcFormat.File
            ? new ArrowFileWriter(stream, schema, leaveOpen, ipc)
            : new ArrowStreamWriter(stream, schema, leaveOpen, ipc);
        Schema = schema;

        // Apache.Arrow writes the start (the file magic; the stream's schema message) only with the first batch, so
        // without this a file or stream with no batches would lack its magic or schema and could not be read back.
        _writer.WriteStart();
    }

    /// <summary>The schema every batch must have.</summary>
    public Schema Schema { get; }

    /// <summary>Creates (or overwrites) <paramref name="path"/>.</summary>
    public static ArrowBatchWriter Create(string path, Schema schema, ArrowWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        var stream = File.Create(path);
        try
        {
            return new ArrowBatchWriter(stream, schema, leaveOpen: false, options ?? new ArrowWriteOptions());
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Writes to <paramref name="stream"/> (closed with the writer unless <paramref name="leaveOpen"/>).</summary>
    public static ArrowBatchWriter Create(Stream stream, Schema schema, ArrowWriteOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        return new ArrowBatchWriter(stream, schema, leaveOpen, options ?? new ArrowWriteOptions());
    }

    /// <summary>Writes one batch.</summary>
    /// <exception cref="ArgumentException">The batch's columns are not those of <see cref="Schema"/> (count or types).</exception>
    /// <exception cref="NotSupportedException">A dictionary (of a column, or nested in one) differs from the first batch's.</exception>
    public void Write(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_finished) throw new InvalidOperationException("The writer was already finished.");
        CheckColumns(batch);
        _dictionaryGuard.Check(batch, Schema);
        _writer.WriteRecordBatch(CanonicalLayout.Of(batch));
    }

    /// <summary>Writes the end of the stream (and the footer of a file).</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        _writer.WriteEnd();
    }

    /// <summary>Finishes (when not done yet) and closes the output.</summary>
    public void Dispose()
    {
        try
        {
            Finish();
        }
        finally
        {
            _writer.Dispose();
        }
    }

    /// <summary>Apache.Arrow's writer writes whatever arrays it is given under the schema it started with; a mismatch would be unreadable.</summary>
    private void CheckColumns(RecordBatch batch)
    {
        var fields = Schema.FieldsList;
        if (batch.ColumnCount != fields.Count)
        {
            throw new ArgumentException($"The batch has {batch.ColumnCount} columns but the file's schema has {fields.Count}.", nameof(batch));
        }

        for (var i = 0; i < fields.Count; i++)
        {
            var type = batch.Column(i).Data.DataType;
            if (!Types.ArrowTypes.Comparer.Equals(type, fields[i].DataType))
            {
                throw new ArgumentException(
                    $"Column '{fields[i].Name}' is {Types.ArrowTypes.Describe(type)} but the file's schema says {Types.ArrowTypes.Describe(fields[i].DataType)}.", nameof(batch));
            }
        }
    }
}

using Apache.Arrow;
using Apache.Arrow.Ipc;
using Dsl.ArrowExtensions.Ipc;

namespace Dsl.Runtime.Files;

/// <summary>The file formats batches are read from and written to.</summary>
public enum BatchFileFormat
{
    /// <summary>Arrow IPC file format (<c>.arrow</c>, <c>.feather</c>): mapped and read zero-copy.</summary>
    ArrowFile,

    /// <summary>Arrow IPC stream format (<c>.arrows</c>): mapped and read zero-copy, batch after batch.</summary>
    ArrowStream,

    /// <summary>Parquet (<c>.parquet</c>), read and written through ParquetSharp's Arrow API (no row-by-row conversion).</summary>
    Parquet,
}

/// <summary>
/// Opens and creates the files features are evaluated over: Arrow IPC (file or stream format, uncompressed or LZ4/ZSTD)
/// and Parquet. Readers yield Apache.Arrow record batches (<see cref="IArrowArrayStream"/>); every batch is validated
/// before a kernel reads it (see <c>ArrowValidator</c>).
/// </summary>
public static class BatchFiles
{
    private static ReadOnlySpan<byte> ParquetMagic => "PAR1"u8;

    private static ReadOnlySpan<byte> ArrowMagic => "ARROW1"u8;

    /// <summary>The format of an existing file, told by its first bytes (<c>PAR1</c>, <c>ARROW1</c>, else an IPC stream).</summary>
    public static BatchFileFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[6];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 4 && head[..4].SequenceEqual(ParquetMagic)) return BatchFileFormat.Parquet;
        return read == 6 && head.SequenceEqual(ArrowMagic) ? BatchFileFormat.ArrowFile : BatchFileFormat.ArrowStream;
    }

    /// <summary>The format a new file gets from its extension: <c>.parquet</c>, <c>.arrows</c> (stream), anything else the Arrow file format.</summary>
    public static BatchFileFormat FormatForExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" or ".pq" => BatchFileFormat.Parquet,
        ".arrows" => BatchFileFormat.ArrowStream,
        _ => BatchFileFormat.ArrowFile,
    };

    /// <summary>Opens <paramref name="path"/> for reading, in whichever supported format it is.</summary>
    /// <exception cref="ArrowExtensions.ArrowFormatException">The file is not valid Arrow IPC data.</exception>
    /// <exception cref="ParquetSharp.ParquetException">The file is not valid Parquet.</exception>
    /// <param name="path">The file.</param>
    /// <param name="columns">For Parquet, the columns to decode (exact field names; null: all). Arrow IPC is mapped, not
    /// decoded, so it always yields every column.</param>
    public static IArrowArrayStream OpenRead(string path, IReadOnlyCollection<string>? columns = null) => OpenRead(path, _ => columns);

    /// <summary>
    /// Opens <paramref name="path"/> for reading; for Parquet, <paramref name="columns"/> chooses the columns to decode
    /// from the file's schema (exact field names; null: all), read from the footer the batches are then read with.
    /// </summary>
    /// <exception cref="ArrowExtensions.ArrowFormatException">The file is not valid Arrow IPC data.</exception>
    /// <exception cref="ParquetSharp.ParquetException">The file is not valid Parquet.</exception>
    public static IArrowArrayStream OpenRead(string path, Func<Schema, IReadOnlyCollection<string>?> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return FormatOf(path) switch
        {
            BatchFileFormat.Parquet => ParquetBatchReader.Open(path, columns),
            _ => MappedArrowReader.Open(path),
        };
    }

    /// <summary>The schema of <paramref name="path"/>, read from its header or footer without reading any batch.</summary>
    public static Schema ReadSchema(string path)
    {
        if (FormatOf(path) == BatchFileFormat.Parquet) return ParquetBatchReader.ReadSchema(path);
        using var stream = MappedArrowReader.Open(path);
        return stream.Schema;
    }

    /// <summary>Creates (or overwrites) <paramref name="path"/> for batches of <paramref name="schema"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="schema">The schema of every batch.</param>
    /// <param name="format">The format; by default told by the extension (<see cref="FormatForExtension"/>).</param>
    /// <param name="compression">Buffer compression for Arrow IPC (Parquet files use ParquetSharp's default, Snappy).</param>
    public static BatchFileWriter Create(string path, Schema schema, BatchFileFormat? format = null, ArrowCompression compression = ArrowCompression.None)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        return (format ?? FormatForExtension(path)) switch
        {
            BatchFileFormat.Parquet => new BatchFileWriter(new ParquetBatchWriter(path, schema)),
            BatchFileFormat.ArrowStream => new BatchFileWriter(ArrowBatchWriter.Create(path, schema, new ArrowWriteOptions { Format = ArrowIpcFormat.Stream, Compression = compression })),
            _ => new BatchFileWriter(ArrowBatchWriter.Create(path, schema, new ArrowWriteOptions { Format = ArrowIpcFormat.File, Compression = compression })),
        };
    }
}

/// <summary>Writes record batches to a file created by <see cref="BatchFiles.Create"/>; disposing it finishes the file.</summary>
public sealed class BatchFileWriter : IDisposable
{
    private readonly object _writer;

    internal BatchFileWriter(ArrowBatchWriter writer) => _writer = writer;

    internal BatchFileWriter(ParquetBatchWriter writer) => _writer = writer;

    /// <summary>Appends one batch.</summary>
    public void Write(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_writer is ArrowBatchWriter arrow) arrow.Write(batch);
        else ((ParquetBatchWriter)_writer).Write(batch);
    }

    /// <summary>Finishes the file (footer) and closes it.</summary>
    public void Dispose() => ((IDisposable)_writer).Dispose();
}

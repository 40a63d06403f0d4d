using System.Buffers.Binary;
using Dsl.Arrow.Ipc.FlatBuffers;
using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Ipc;

/// <summary>
/// Reads the Arrow IPC file format: <c>ARROW1</c>, padding, stream-format messages, a FlatBuffers
/// <c>Footer</c> listing the dictionary and record batch blocks, the footer's int32 length and <c>ARROW1</c>.
/// Batches can be read in any order.
/// </summary>
/// <remarks>
/// <see cref="OpenMapped"/> maps the file and reads zero-copy: the arrays of a batch point into the mapping,
/// which stays mapped while the reader or any array of any batch read from it is alive. Every batch is validated
/// when read, so its arrays can be trusted by kernels; malformed input raises <see cref="ArrowFormatException"/>.
/// </remarks>
public sealed class ArrowFileReader : IArrowReader
{
    /// <summary>The 6 magic bytes at the start (padded to 8) and at the end of an Arrow file.</summary>
    internal static ReadOnlySpan<byte> Magic => "ARROW1"u8;

    private const int TrailerLength = 10;
    private readonly FileSource _source;
    private readonly FileBlock[] _dictionaryBlocks;
    private readonly FileBlock[] _batchBlocks;
    private readonly BatchDecoder _decoder;
    private bool _dictionariesRead;
    private int _nextBatch;

    /// <summary>Reads from a seekable <paramref name="stream"/> (closed with the reader unless <paramref name="leaveOpen"/>); bodies are copied into native memory.</summary>
    /// <exception cref="ArrowFormatException">The stream is not a valid Arrow file.</exception>
    public ArrowFileReader(Stream stream, bool leaveOpen = false)
        : this(new FileSource.Streamed(Seekable(stream), leaveOpen))
    {
    }

    private ArrowFileReader(FileSource source)
    {
        _source = source;
        try
        {
            (_decoder, _dictionaryBlocks, _batchBlocks) = ReadFooter(source);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="path"/> as a memory-mapped Arrow file: batches are read zero-copy.</summary>
    /// <exception cref="ArrowFormatException">The file is not a valid Arrow file.</exception>
    public static ArrowFileReader OpenMapped(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new ArrowFileReader(new FileSource.Mapped(MappedFileMemoryOwner.Open(path)));
    }

    /// <inheritdoc />
    public Schema Schema => _decoder.Schema;

    /// <summary>The number of record batches the footer lists.</summary>
    public int RecordBatchCount => _batchBlocks.Length;

    /// <summary>Record batch <paramref name="index"/> (validated; the caller disposes it).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, <see cref="RecordBatchCount"/>).</exception>
    /// <exception cref="ArrowFormatException">The batch or a dictionary is malformed.</exception>
    public RecordBatch ReadRecordBatch(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, RecordBatchCount);
        ReadDictionaries();
        var (message, body, holder) = ReadBlock(_batchBlocks[index], $"record batch {index}");
        using (holder)
        {
            return _decoder.ReadRecordBatch(message, body);
        }
    }

    /// <inheritdoc />
    public RecordBatch? ReadNextRecordBatch() => _nextBatch < RecordBatchCount ? ReadRecordBatch(_nextBatch++) : null;

    /// <summary>Releases the reader's hold on the file; batches read stay valid (a mapping lives while they do).</summary>
    public void Dispose()
    {
        _decoder.Dispose();
        _source.Dispose();
    }

    private void ReadDictionaries()
    {
        if (_dictionariesRead)
        {
            return;
        }

        for (var i = 0; i < _dictionaryBlocks.Length; i++)
        {
            var (message, body, holder) = ReadBlock(_dictionaryBlocks[i], $"dictionary batch {i}");
            using (holder)
            {
                _decoder.ReadDictionary(message, body);
            }
        }

        _dictionariesRead = true;
    }

    private (IpcMessage Message, ArrowBuffer Body, IDisposable? Holder) ReadBlock(FileBlock block, string what)
    {
        var where = $"{what} (block at byte {block.Offset})";
        var fileLength = _source.Length;
        if (block.Offset < 8 || block.MetadataLength < 8 || block.BodyLength < 0
            || block.Offset > fileLength || block.MetadataLength > fileLength - block.Offset
            || block.BodyLength > fileLength - block.Offset - block.MetadataLength)
        {
            throw new ArrowFormatException($"{where}: the block (metadata {block.MetadataLength} bytes, body {block.BodyLength} bytes) does not fit the {fileLength}-byte file.");
        }

        Span<byte> prefix = stackalloc byte[8];
        _source.Read(block.Offset, prefix);
        var continued = BinaryPrimitives.ReadUInt32LittleEndian(prefix) == MessageSerializer.Continuation;
        var prefixLength = continued ? 8 : 4;
        var length = BinaryPrimitives.ReadInt32LittleEndian(continued ? prefix[4..] : prefix);
        if (length <= 0 || length > block.MetadataLength - prefixLength)
        {
            throw new ArrowFormatException($"{where}: metadata length {length} does not fit the block's {block.MetadataLength} metadata bytes.");
        }

        var metadata = new byte[length];
        _source.Read(block.Offset + prefixLength, metadata);
        var message = IpcMessage.Decode(metadata, where);
        if (message.BodyLength != block.BodyLength)
        {
            throw new ArrowFormatException($"{where}: the message declares a {message.BodyLength}-byte body but the footer block says {block.BodyLength}.");
        }

        var body = _source.Body(block.Offset + block.MetadataLength, block.BodyLength, out var holder);
        return (message, body, holder);
    }

    private static (BatchDecoder, FileBlock[], FileBlock[]) ReadFooter(FileSource source)
    {
        var length = source.Length;
        if (length < 8 + TrailerLength)
        {
            throw new ArrowFormatException($"Arrow file: {length} bytes is too short for an Arrow file (magic, footer and trailer need at least {8 + TrailerLength}).");
        }

        Span<byte> head = stackalloc byte[6];
        source.Read(0, head);
        Span<byte> trailer = stackalloc byte[TrailerLength];
        source.Read(length - TrailerLength, trailer);
        if (!head.SequenceEqual(Magic) || !trailer[4..].SequenceEqual(Magic))
        {
            throw new ArrowFormatException("Arrow file: the file does not start and end with the ARROW1 magic (is it an Arrow stream, or truncated?).");
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(trailer);
        if (footerLength <= 0 || footerLength > length - 8 - TrailerLength)
        {
            throw new ArrowFormatException($"Arrow file: footer length {footerLength} at byte {length - TrailerLength} does not fit the {length}-byte file.");
        }

        var footerBytes = new byte[footerLength];
        source.Read(length - TrailerLength - footerLength, footerBytes);
        var footer = FlatTable.Root(footerBytes, $"footer at byte {length - TrailerLength - footerLength}: Footer");
        var schemaTable = footer.GetTable(1, "schema")
            ?? throw new ArrowFormatException("Arrow file: the footer has no schema.");
        var (schema, dictionaryFields) = SchemaReader.Read(schemaTable, footerLength);
        var decoder = new BatchDecoder(schema, dictionaryFields, "Arrow file footer");
        return (decoder, Blocks(footer.GetVector(2, "dictionaries", 24)), Blocks(footer.GetVector(3, "recordBatches", 24)));
    }

    private static FileBlock[] Blocks(FlatVector vector)
    {
        var blocks = new FileBlock[vector.Count];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new FileBlock(vector.Int64At(i, 0), vector.Int32At(i, 8), vector.Int64At(i, 16));
        }

        return blocks;
    }

    private static Stream Seekable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.CanSeek ? stream : throw new ArgumentException("The Arrow file format needs a seekable stream; use ArrowStreamReader for streams.", nameof(stream));
    }
}

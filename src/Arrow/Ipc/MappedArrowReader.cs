using System.Buffers.Binary;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Dsl.ArrowExtensions.Ipc.FlatBuffers;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>The two Arrow IPC formats.</summary>
public enum ArrowIpcFormat
{
    /// <summary>The random-access file format (<c>ARROW1</c> magic, a footer listing the batches; <c>.arrow</c>, <c>.feather</c>).</summary>
    File,

    /// <summary>The streaming format (messages one after another; <c>.arrows</c>).</summary>
    Stream,
}

/// <summary>
/// Reads Arrow IPC data (file or stream format) from a memory mapping or from bytes in memory, zero-copy: the
/// Apache.Arrow batches it returns point into that memory. Every batch is validated when read (see
/// <see cref="ArrowValidator"/>), so kernels can read it without further checks; malformed input is an
/// <see cref="ArrowFormatException"/> that says what and where, and no allocation is sized by a number in the input
/// beyond what the input holds (compressed buffers grow with their real decompressed size).
/// </summary>
/// <remarks>
/// Apache.Arrow's own <c>ArrowFileReader</c> copies every buffer out of its stream; this reader does not. Buffers are
/// 8-byte aligned (the format's guarantee), which kernels handle. Batches stay readable after the reader is disposed:
/// each keeps the mapping alive through its buffers, and the mapping is released when the reader is disposed and the
/// last batch is no longer referenced.
/// </remarks>
public sealed class MappedArrowReader : IArrowArrayStream
{
    private const int TrailerLength = 10;

    private static ReadOnlySpan<byte> Magic => "ARROW1"u8;

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly Memory.NativeRegion? _mapping;
    private readonly string _source;
    private readonly BatchDecoder _decoder;
    private readonly FileBlock[] _dictionaryBlocks = [];
    private readonly FileBlock[] _batchBlocks = [];
    private bool _dictionariesRead;
    private int _nextBatch;
    private long _position;
    private int _messageIndex;
    private bool _ended;
    private bool _batchesHandedOut;
    private bool _disposed;

    private MappedArrowReader(ReadOnlyMemory<byte> bytes, Memory.NativeRegion? mapping, string source)
    {
        _bytes = bytes;
        _mapping = mapping;
        _source = source;
        if (bytes.Length >= Magic.Length && bytes.Span[..Magic.Length].SequenceEqual(Magic))
        {
            Format = ArrowIpcFormat.File;
            (_decoder, _dictionaryBlocks, _batchBlocks) = ReadFooter();
        }
        else
        {
            Format = ArrowIpcFormat.Stream;
            var schema = NextMessage()
                ?? throw new ArrowFormatException($"{source}: the input ends before the schema message (it is empty or starts with an end-of-stream marker).");
            _decoder = BatchDecoder.FromSchemaMessage(schema.Message);
        }
    }

    /// <summary>Maps <paramref name="path"/> and reads its schema (the format is told by the <c>ARROW1</c> magic).</summary>
    /// <exception cref="ArrowFormatException">The file is not Arrow IPC data; the message says why.</exception>
    public static MappedArrowReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var mapping = MappedFile.Open(path);
        try
        {
            return new MappedArrowReader(mapping.Memory, mapping, path);
        }
        catch
        {
            mapping.Release();
            throw;
        }
    }

    /// <summary>Reads Arrow IPC data held in memory; batches point into <paramref name="bytes"/>, which must not change while they are used.</summary>
    /// <exception cref="ArrowFormatException">The bytes are not Arrow IPC data.</exception>
    public static MappedArrowReader FromMemory(ReadOnlyMemory<byte> bytes) => new(bytes, null, "Arrow IPC data");

    /// <summary>The schema of every batch.</summary>
    public Schema Schema => _decoder.Schema;

    /// <summary>Which IPC format the data is in.</summary>
    public ArrowIpcFormat Format { get; }

    /// <summary>The number of record batches the file's footer lists (file format), or null (stream format: read to the end to know).</summary>
    public int? RecordBatchCount => Format == ArrowIpcFormat.File ? _batchBlocks.Length : null;

    /// <summary>Record batch <paramref name="index"/> of a file (file format only).</summary>
    /// <exception cref="InvalidOperationException">The data is in the stream format, which has no random access.</exception>
    /// <exception cref="ArrowFormatException">The batch or a dictionary is malformed.</exception>
    public RecordBatch ReadRecordBatch(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Format != ArrowIpcFormat.File) throw new InvalidOperationException($"{_source}: random access needs the Arrow file format; this is a stream.");
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _batchBlocks.Length);
        ReadDictionaries();
        var (message, body) = ReadBlock(_batchBlocks[index], $"record batch {index}");
        return HandOut(_decoder.ReadRecordBatch(message, body));
    }

    /// <summary>The next record batch, or null after the last.</summary>
    /// <exception cref="ArrowFormatException">The batch or a dictionary before it is malformed.</exception>
    public RecordBatch? ReadNextRecordBatch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Format == ArrowIpcFormat.File) return _nextBatch < _batchBlocks.Length ? ReadRecordBatch(_nextBatch++) : null;
        while (!_ended && NextMessage() is { } next)
        {
            switch (next.Message.Kind)
            {
                case MessageHeaderKind.DictionaryBatch:
                    _decoder.ReadDictionary(next.Message, next.Body);
                    break;
                case MessageHeaderKind.RecordBatch:
                    return HandOut(_decoder.ReadRecordBatch(next.Message, next.Body));
                default:
                    throw new ArrowFormatException($"{next.Message.Where}: a second {next.Message.Kind} message in the stream.");
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask<RecordBatch> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<RecordBatch>(ReadNextRecordBatch()!);
    }

    /// <summary>Ends reading. Batches read stay valid while referenced; the mapping goes when the last of them does.</summary>
    /// <remarks>
    /// Apache.Arrow's arrays count no references to memory they did not allocate, so a mapping that batches were
    /// read from cannot be unmapped here: it is left to the garbage collector, which unmaps it once the reader and
    /// every array pointing into it are unreachable (see <see cref="Memory.NativeRegion"/>). A mapping no batch was
    /// read from is unmapped at once.
    /// </remarks>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_batchesHandedOut) _mapping?.Release();
    }

    private RecordBatch HandOut(RecordBatch batch)
    {
        _batchesHandedOut = true;
        return batch;
    }

    private (IpcMessage Message, ReadOnlyMemory<byte> Body)? NextMessage()
    {
        var where = $"{_source}, message {_messageIndex} at byte {_position}";
        var remaining = _bytes.Length - _position;
        if (remaining == 0)
        {
            _ended = true;
            return null;
        }

        if (remaining < 4) throw new ArrowFormatException($"{where}: the input ends inside a message length prefix.");
        var span = _bytes.Span[(int)_position..];
        var prefix = 4;
        var length = BinaryPrimitives.ReadInt32LittleEndian(span);
        if (BinaryPrimitives.ReadUInt32LittleEndian(span) == IpcMessage.Continuation)
        {
            if (remaining < 8) throw new ArrowFormatException($"{where}: the input ends after a continuation marker, before the message length.");
            length = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
            prefix = 8;
        }

        if (length == 0)
        {
            _ended = true;
            return null;
        }

        if (length < 0 || length > remaining - prefix)
        {
            throw new ArrowFormatException($"{where}: the metadata length {length} does not fit the {remaining - prefix} bytes left.");
        }

        var message = IpcMessage.Decode(span.Slice(prefix, length).ToArray(), where);
        var bodyStart = _position + prefix + length;
        if (message.BodyLength > _bytes.Length - bodyStart)
        {
            throw new ArrowFormatException($"{where}: the body declares {message.BodyLength} bytes but only {_bytes.Length - bodyStart} are left.");
        }

        _position = bodyStart + message.BodyLength;
        _messageIndex++;
        return (message, _bytes.Slice((int)bodyStart, (int)message.BodyLength));
    }

    private void ReadDictionaries()
    {
        if (_dictionariesRead) return;
        for (var i = 0; i < _dictionaryBlocks.Length; i++)
        {
            var (message, body) = ReadBlock(_dictionaryBlocks[i], $"dictionary batch {i}");
            _decoder.ReadDictionary(message, body);
        }

        _dictionariesRead = true;
    }

    private (IpcMessage Message, ReadOnlyMemory<byte> Body) ReadBlock(FileBlock block, string what)
    {
        var where = $"{_source}, {what} (block at byte {block.Offset})";
        long fileLength = _bytes.Length;
        if (block.Offset < 8 || block.MetadataLength < 8 || block.BodyLength < 0
            || block.Offset > fileLength || block.MetadataLength > fileLength - block.Offset
            || block.BodyLength > fileLength - block.Offset - block.MetadataLength)
        {
            throw new ArrowFormatException($"{where}: the block (metadata {block.MetadataLength} bytes, body {block.BodyLength} bytes) does not fit the {fileLength}-byte file.");
        }

        var span = _bytes.Span.Slice((int)block.Offset, block.MetadataLength);
        var continued = BinaryPrimitives.ReadUInt32LittleEndian(span) == IpcMessage.Continuation;
        var prefixLength = continued ? 8 : 4;
        var length = BinaryPrimitives.ReadInt32LittleEndian(continued ? span[4..] : span);
        if (length <= 0 || length > block.MetadataLength - prefixLength)
        {
            throw new ArrowFormatException($"{where}: metadata length {length} does not fit the block's {block.MetadataLength} metadata bytes.");
        }

        var message = IpcMessage.Decode(span.Slice(prefixLength, length).ToArray(), where);
        if (message.BodyLength != block.BodyLength)
        {
            throw new ArrowFormatException($"{where}: the message declares a {message.BodyLength}-byte body but the footer block says {block.BodyLength}.");
        }

        return (message, _bytes.Slice((int)(block.Offset + block.MetadataLength), (int)block.BodyLength));
    }

    private (BatchDecoder, FileBlock[], FileBlock[]) ReadFooter()
    {
        var bytes = _bytes.Span;
        var length = bytes.Length;
        if (length < 8 + TrailerLength)
        {
            throw new ArrowFormatException($"{_source}: {length} bytes is too short for an Arrow file (magic, footer and trailer need at least {8 + TrailerLength}).");
        }

        if (!bytes[(length - Magic.Length)..].SequenceEqual(Magic))
        {
            throw new ArrowFormatException($"{_source}: the file starts with the ARROW1 magic but does not end with it (is it truncated?).");
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[(length - TrailerLength)..]);
        if (footerLength <= 0 || footerLength > length - 8 - TrailerLength)
        {
            throw new ArrowFormatException($"{_source}: footer length {footerLength} at byte {length - TrailerLength} does not fit the {length}-byte file.");
        }

        var footerStart = length - TrailerLength - footerLength;
        var footer = FlatTable.Root(bytes.Slice(footerStart, footerLength).ToArray(), $"{_source}, footer at byte {footerStart}: Footer");
        var schemaTable = footer.GetTable(1, "schema") ?? throw new ArrowFormatException($"{_source}: the footer has no schema.");
        var (schema, dictionaryFields) = SchemaReader.Read(schemaTable, footerLength);
        var decoder = new BatchDecoder(schema, dictionaryFields, $"{_source}, footer");
        return (decoder, Blocks(footer.GetVector(2, "dictionaries", 24)), Blocks(footer.GetVector(3, "recordBatches", 24)));
    }

    private static FileBlock[] Blocks(FlatVector vector)
    {
        var blocks = new FileBlock[vector.Count];
        for (var i = 0; i < blocks.Length; i++) blocks[i] = new FileBlock(vector.Int64At(i, 0), vector.Int32At(i, 8), vector.Int64At(i, 16));
        return blocks;
    }
}

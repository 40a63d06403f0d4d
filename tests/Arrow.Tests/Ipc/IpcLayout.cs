using System.Buffers.Binary;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Ipc.FlatBuffers;

namespace Dsl.ArrowExtensions.Tests.Ipc;

/// <summary>The length and count fields of Arrow IPC data that a reader must not trust.</summary>
internal enum IpcField
{
    /// <summary>The int32 metadata length after a message's continuation marker.</summary>
    MessageLength,

    /// <summary>Message.bodyLength (int64).</summary>
    BodyLength,

    /// <summary>RecordBatch.length (int64), in record batches and dictionary batches.</summary>
    BatchLength,

    /// <summary>FieldNode.length (int64).</summary>
    NodeLength,

    /// <summary>FieldNode.null_count (int64).</summary>
    NodeNullCount,

    /// <summary>Buffer.offset (int64), relative to the body.</summary>
    BufferOffset,

    /// <summary>Buffer.length (int64).</summary>
    BufferLength,

    /// <summary>The int64 uncompressed length before each compressed buffer in a body.</summary>
    UncompressedLength,

    /// <summary>DictionaryBatch.id (int64).</summary>
    DictionaryId,

    /// <summary>The int32 footer length before the file's closing magic.</summary>
    FooterLength,

    /// <summary>Block.offset (int64) in the footer.</summary>
    BlockOffset,

    /// <summary>Block.metaDataLength (int32) in the footer.</summary>
    BlockMetadataLength,

    /// <summary>Block.bodyLength (int64) in the footer.</summary>
    BlockBodyLength,
}

/// <summary>
/// Where the length and count fields of valid IPC data are (<see cref="IpcField"/>), found by walking it with the
/// reader's own bounds-checked FlatBuffers views, so tests can damage exactly those fields; and how many bytes its
/// buffers hold once decompressed.
/// </summary>
internal sealed class IpcLayout
{
    private readonly Dictionary<IpcField, List<int>> _positions = Enum.GetValues<IpcField>().ToDictionary(field => field, _ => new List<int>());

    private IpcLayout()
    {
    }

    /// <summary>Each message of the stream part: where it starts (its continuation marker) and its framed length with the body.</summary>
    public List<(int Start, int Length, MessageHeaderKind Kind)> Messages { get; } = [];

    /// <summary>The bytes of all buffers of all messages after decompression (their stored size when not compressed).</summary>
    public long DecompressedBytes { get; private set; }

    /// <summary>The number of buffer regions of all messages.</summary>
    public int BufferCount { get; private set; }

    /// <summary>Byte positions of every occurrence of <paramref name="field"/>.</summary>
    public IReadOnlyList<int> Positions(IpcField field) => _positions[field];

    /// <summary>The size in bytes of <paramref name="field"/>.</summary>
    public static int Size(IpcField field) => field is IpcField.MessageLength or IpcField.FooterLength or IpcField.BlockMetadataLength ? 4 : 8;

    /// <summary>Walks valid IPC data written by Apache.Arrow (file or stream format).</summary>
    public static IpcLayout Of(byte[] bytes)
    {
        var layout = new IpcLayout();
        var isFile = bytes.AsSpan().StartsWith("ARROW1"u8);
        var position = isFile ? 8 : 0;
        while (position + 8 <= bytes.Length && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position)) == IpcMessage.Continuation)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position + 4));
            if (length == 0) break;
            var metadataStart = position + 8;
            layout._positions[IpcField.MessageLength].Add(position + 4);
            var (kind, bodyLength) = layout.AddMessage(bytes, metadataStart, length);
            layout.Messages.Add((position, 8 + length + (int)bodyLength, kind));
            position = metadataStart + length + (int)bodyLength;
        }

        if (isFile) layout.AddFooter(bytes);
        return layout;
    }

    /// <summary>Records the fields of the message at <paramref name="start"/>; returns its kind and body length.</summary>
    private (MessageHeaderKind Kind, long BodyLength) AddMessage(byte[] bytes, int start, int length)
    {
        var metadata = bytes[start..(start + length)];
        var message = IpcMessage.Decode(metadata, "layout");
        Add(IpcField.BodyLength, start, FlatTable.Root(metadata, "layout").PositionOf(3));
        var batch = message.Kind switch
        {
            MessageHeaderKind.RecordBatch => message.Header,
            MessageHeaderKind.DictionaryBatch => message.Header.GetTable(1, "data"),
            _ => null,
        };
        if (message.Kind == MessageHeaderKind.DictionaryBatch) Add(IpcField.DictionaryId, start, message.Header.PositionOf(0));
        if (batch is not { } table) return (message.Kind, message.BodyLength);

        Add(IpcField.BatchLength, start, table.PositionOf(0));
        var nodes = table.GetVector(1, "nodes", 16);
        for (var i = 0; i < nodes.Count; i++)
        {
            _positions[IpcField.NodeLength].Add(start + nodes.Start + (16 * i));
            _positions[IpcField.NodeNullCount].Add(start + nodes.Start + (16 * i) + 8);
        }

        var compressed = table.GetTable(3, "compression") is not null;
        var bodyStart = start + length;
        var buffers = table.GetVector(2, "buffers", 16);
        for (var i = 0; i < buffers.Count; i++)
        {
            _positions[IpcField.BufferOffset].Add(start + buffers.Start + (16 * i));
            _positions[IpcField.BufferLength].Add(start + buffers.Start + (16 * i) + 8);
            var (offset, size) = (buffers.Int64At(i, 0), buffers.Int64At(i, 8));
            BufferCount++;
            if (!compressed || size < 8)
            {
                DecompressedBytes += size;
                continue;
            }

            _positions[IpcField.UncompressedLength].Add(bodyStart + (int)offset);
            var declared = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(bodyStart + (int)offset));
            DecompressedBytes += declared == -1 ? size - 8 : declared;
        }

        return (message.Kind, message.BodyLength);
    }

    private void AddFooter(byte[] bytes)
    {
        var lengthAt = bytes.Length - 10;
        _positions[IpcField.FooterLength].Add(lengthAt);
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(lengthAt));
        var footerStart = lengthAt - footerLength;
        var footer = FlatTable.Root(bytes[footerStart..lengthAt], "footer");
        foreach (var slot in new[] { 2, 3 })
        {
            var blocks = footer.GetVector(slot, "blocks", 24);
            for (var i = 0; i < blocks.Count; i++)
            {
                var at = footerStart + blocks.Start + (24 * i);
                _positions[IpcField.BlockOffset].Add(at);
                _positions[IpcField.BlockMetadataLength].Add(at + 8);
                _positions[IpcField.BlockBodyLength].Add(at + 16);
            }
        }
    }

    private void Add(IpcField field, int start, int relative)
    {
        if (relative >= 0) _positions[field].Add(start + relative);
    }
}

using Dsl.ArrowExtensions.Ipc.FlatBuffers;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>A <c>FieldNode</c> struct: one array's length and null count, in depth-first field order.</summary>
internal readonly record struct FieldNode(long Length, long NullCount);

/// <summary>A <c>Buffer</c> struct: a byte range relative to the start of the message body.</summary>
internal readonly record struct BufferRegion(long Offset, long Length);

/// <summary>
/// The decoded <c>RecordBatch</c> table of Message.fbs: row count, field nodes and buffer regions. Used both
/// for record batches and for the data of dictionary batches.
/// </summary>
/// <remarks>
/// The node and buffer arrays are sized by FlatBuffers vectors, which were checked to fit inside the metadata,
/// so no allocation here is larger than the input. A compressed body names its codec (<see cref="Codec"/>); each
/// of its buffers is then compressed on its own (see <see cref="BodyDecompressor"/>).
/// </remarks>
internal sealed class RecordBatchHeader
{
    private RecordBatchHeader(long length, FieldNode[] nodes, BufferRegion[] buffers, CompressionCodec codec)
    {
        Length = length;
        Nodes = nodes;
        Buffers = buffers;
        Codec = codec;
    }

    /// <summary>How the body's buffers are compressed.</summary>
    public CompressionCodec Codec { get; }

    public long Length { get; }

    public FieldNode[] Nodes { get; }

    public BufferRegion[] Buffers { get; }

    public static RecordBatchHeader Decode(FlatTable batch, string where)
    {
        var codec = CompressionCodec.None;
        if (batch.GetTable(3, "compression") is { } compression)
        {
            codec = compression.GetByte(0, 0) switch
            {
                0 => CompressionCodec.Lz4Frame,
                1 => CompressionCodec.Zstd,
                var other => throw new ArrowFormatException($"{where}: the body is compressed with unknown codec {other}."),
            };
            if (compression.GetByte(1, 0) != 0)
            {
                throw new ArrowFormatException($"{where}: the body compression method {compression.GetByte(1, 0)} is not BUFFER (the only one the format defines).");
            }
        }

        var length = batch.GetInt64(0, 0);
        if (length < 0 || length > int.MaxValue)
        {
            throw new ArrowFormatException($"{where}: record batch length {length} is outside [0, {int.MaxValue}].");
        }

        var nodesVector = batch.GetVector(1, "nodes", 16);
        var nodes = new FieldNode[nodesVector.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = new FieldNode(nodesVector.Int64At(i, 0), nodesVector.Int64At(i, 8));
        }

        var buffersVector = batch.GetVector(2, "buffers", 16);
        var buffers = new BufferRegion[buffersVector.Count];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new BufferRegion(buffersVector.Int64At(i, 0), buffersVector.Int64At(i, 8));
        }

        return new RecordBatchHeader(length, nodes, buffers, codec);
    }
}

/// <summary>The codecs of the IPC format's <c>BodyCompression</c>.</summary>
internal enum CompressionCodec
{
    None,
    Lz4Frame,
    Zstd,
}

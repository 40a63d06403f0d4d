using System.Buffers.Binary;
using Dsl.Arrow.Ipc.FlatBuffers;

namespace Dsl.Arrow.Ipc;

/// <summary>A file block: where a message starts, its framed metadata length and its body length (File.fbs <c>Block</c>).</summary>
internal readonly record struct FileBlock(long Offset, int MetadataLength, long BodyLength);

/// <summary>
/// Writes encapsulated IPC messages: the continuation marker <c>0xFFFFFFFF</c>, the int32 metadata length,
/// the FlatBuffers <c>Message</c> padded to 8 bytes, then the body. Also builds the file <c>Footer</c>.
/// </summary>
internal static class MessageSerializer
{
    public const uint Continuation = 0xFFFFFFFF;

    public static byte[] Schema(Schema schema, IReadOnlyList<DictionaryField> dictionaries)
    {
        var builder = new FlatBufferBuilder();
        var header = SchemaWriter.Write(builder, schema, dictionaries);
        return Finish(builder, MessageHeaderKind.Schema, header, 0);
    }

    public static byte[] RecordBatch(int length, BatchBody body)
    {
        var builder = new FlatBufferBuilder();
        var header = RecordBatchTable(builder, length, body);
        return Finish(builder, MessageHeaderKind.RecordBatch, header, body.Length);
    }

    public static byte[] DictionaryBatch(long id, int length, BatchBody body, bool isDelta)
    {
        var builder = new FlatBufferBuilder();
        var data = RecordBatchTable(builder, length, body);
        builder.StartTable(3);
        builder.AddInt64(0, id, 0);
        builder.AddOffset(1, data);
        builder.AddBool(2, isDelta, false);
        return Finish(builder, MessageHeaderKind.DictionaryBatch, builder.EndTable(), body.Length);
    }

    public static byte[] Footer(Schema schema, IReadOnlyList<DictionaryField> dictionaryIds, IReadOnlyList<FileBlock> dictionaries, IReadOnlyList<FileBlock> batches)
    {
        var builder = new FlatBufferBuilder();
        var schemaTable = SchemaWriter.Write(builder, schema, dictionaryIds);
        var dictionaryBlocks = Blocks(builder, dictionaries);
        var batchBlocks = Blocks(builder, batches);
        builder.StartTable(5);
        builder.AddInt16(0, IpcMessage.CurrentVersion, 0);
        builder.AddOffset(1, schemaTable);
        builder.AddOffset(2, dictionaryBlocks);
        builder.AddOffset(3, batchBlocks);
        return builder.Finish(builder.EndTable());
    }

    /// <summary>Writes one framed message and its body; returns how many bytes of framing + metadata were written.</summary>
    public static int Write(Stream stream, byte[] metadata, BatchBody? body)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, Continuation);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[4..], metadata.Length);
        stream.Write(prefix);
        stream.Write(metadata);
        body?.WriteTo(stream);
        return prefix.Length + metadata.Length;
    }

    /// <summary>The end-of-stream marker: a continuation marker and a zero length.</summary>
    public static void WriteEndOfStream(Stream stream)
    {
        Span<byte> marker = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(marker, Continuation);
        stream.Write(marker);
    }

    private static int RecordBatchTable(FlatBufferBuilder builder, int length, BatchBody body)
    {
        builder.StartVector(16, body.Nodes.Count, 8);
        for (var i = body.Nodes.Count - 1; i >= 0; i--)
        {
            builder.PrependInt64(body.Nodes[i].NullCount);
            builder.PrependInt64(body.Nodes[i].Length);
        }

        var nodes = builder.EndVector(body.Nodes.Count);
        builder.StartVector(16, body.Buffers.Count, 8);
        for (var i = body.Buffers.Count - 1; i >= 0; i--)
        {
            builder.PrependInt64(body.Buffers[i].Length);
            builder.PrependInt64(body.Buffers[i].Offset);
        }

        var buffers = builder.EndVector(body.Buffers.Count);
        builder.StartTable(5);
        builder.AddInt64(0, length, 0);
        builder.AddOffset(1, nodes);
        builder.AddOffset(2, buffers);
        return builder.EndTable();
    }

    private static int Blocks(FlatBufferBuilder builder, IReadOnlyList<FileBlock> blocks)
    {
        builder.StartVector(24, blocks.Count, 8);
        for (var i = blocks.Count - 1; i >= 0; i--)
        {
            builder.PrependInt64(blocks[i].BodyLength);
            builder.PrependInt32(0); // padding of the Block struct
            builder.PrependInt32(blocks[i].MetadataLength);
            builder.PrependInt64(blocks[i].Offset);
        }

        return builder.EndVector(blocks.Count);
    }

    /// <summary>The Message table around a header; the result's length is a multiple of 8 (see <see cref="FlatBufferBuilder.Finish"/>).</summary>
    private static byte[] Finish(FlatBufferBuilder builder, MessageHeaderKind kind, int header, long bodyLength)
    {
        builder.StartTable(5);
        builder.AddInt16(0, IpcMessage.CurrentVersion, 0);
        builder.AddByte(1, (byte)kind, 0);
        builder.AddOffset(2, header);
        builder.AddInt64(3, bodyLength, 0);
        return builder.Finish(builder.EndTable());
    }
}

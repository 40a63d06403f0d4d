using System.Buffers.Binary;

namespace Dsl.Arrow.Ipc;

/// <summary>
/// Writes the Arrow IPC file format: <c>ARROW1</c> and padding, the stream-format messages, then a footer that
/// lists where each dictionary and record batch is, its int32 length and <c>ARROW1</c>.
/// </summary>
/// <remarks>
/// <see cref="ArrowStreamWriter.WriteEnd"/> writes the footer; a file without it is not readable as a file.
/// The file format allows one dictionary per dictionary-encoded field.
/// </remarks>
public sealed class ArrowFileWriter : ArrowStreamWriter
{
    private readonly List<FileBlock> _dictionaryBlocks = [];
    private readonly List<FileBlock> _batchBlocks = [];

    /// <summary>Writes batches of <paramref name="schema"/> to <paramref name="stream"/>, closed with the writer unless <paramref name="leaveOpen"/>.</summary>
    public ArrowFileWriter(Stream stream, Schema schema, bool leaveOpen = false)
        : base(stream, schema, leaveOpen)
    {
    }

    private protected override bool AllowsDictionaryReplacement => false;

    private protected override void OnStart()
    {
        Span<byte> magic = stackalloc byte[8];
        ArrowFileReader.Magic.CopyTo(magic);
        Stream.Write(magic);
        Advance(magic.Length);
    }

    private protected override void OnMessage(MessageHeaderKind kind, FileBlock block)
    {
        switch (kind)
        {
            case MessageHeaderKind.DictionaryBatch:
                _dictionaryBlocks.Add(block);
                break;
            case MessageHeaderKind.RecordBatch:
                _batchBlocks.Add(block);
                break;
        }
    }

    private protected override void OnEnd()
    {
        base.OnEnd();
        var footer = MessageSerializer.Footer(Schema, DictionaryFields, _dictionaryBlocks, _batchBlocks);
        Stream.Write(footer);
        Span<byte> trailer = stackalloc byte[10];
        BinaryPrimitives.WriteInt32LittleEndian(trailer, footer.Length);
        ArrowFileReader.Magic.CopyTo(trailer[4..]);
        Stream.Write(trailer);
        Advance(footer.Length + trailer.Length + 8);
    }
}

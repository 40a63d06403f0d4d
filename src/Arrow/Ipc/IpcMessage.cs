using Dsl.ArrowExtensions.Ipc.FlatBuffers;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>A file block: where a message starts, its framed metadata length and its body length (File.fbs <c>Block</c>).</summary>
internal readonly record struct FileBlock(long Offset, int MetadataLength, long BodyLength);

/// <summary>The <c>MessageHeader</c> union tags of Message.fbs.</summary>
internal enum MessageHeaderKind : byte
{
    None = 0,
    Schema = 1,
    DictionaryBatch = 2,
    RecordBatch = 3,
    Tensor = 4,
    SparseTensor = 5,
}

/// <summary>
/// One decoded IPC message: its FlatBuffers <c>Message</c> table, header and declared body length, plus where
/// it came from (<see cref="Where"/>) for error messages.
/// </summary>
/// <remarks>Invariant: <see cref="BodyLength"/> is non-negative and the header table is present and valid to open.</remarks>
internal sealed class IpcMessage
{
    /// <summary>The newest metadata version this reader understands (V5).</summary>
    public const short CurrentVersion = 4;

    /// <summary>The marker before a message's metadata length (streams written before Arrow 0.15 omit it).</summary>
    public const uint Continuation = 0xFFFFFFFF;

    private IpcMessage(string where, MessageHeaderKind kind, FlatTable header, long bodyLength, int metadataLength)
    {
        Where = where;
        Kind = kind;
        Header = header;
        BodyLength = bodyLength;
        MetadataLength = metadataLength;
    }

    /// <summary>E.g. <c>message 3 at byte 1032</c>.</summary>
    public string Where { get; }

    public MessageHeaderKind Kind { get; }

    public FlatTable Header { get; }

    public long BodyLength { get; }

    /// <summary>The size of the FlatBuffers metadata in bytes (bounds how many fields a schema can declare).</summary>
    public int MetadataLength { get; }

    /// <summary>Decodes the <c>Message</c> flatbuffer in <paramref name="metadata"/>.</summary>
    public static IpcMessage Decode(byte[] metadata, string where)
    {
        var message = FlatTable.Root(metadata, where + ": Message");
        var version = message.GetInt16(0, 0);
        if (version < 3 || version > CurrentVersion)
        {
            // V4 (3) and V5 (4) share the layout this reader understands; V1-V3 predate the 1.0 format.
            throw new NotSupportedException($"{where}: Arrow metadata version {version + 1} is not supported (V4 and V5 are).");
        }

        var kind = (MessageHeaderKind)message.GetByte(1, 0);
        var bodyLength = message.GetInt64(3, 0);
        if (bodyLength < 0)
        {
            throw new ArrowFormatException($"{where}: the message declares a negative body length ({bodyLength}).");
        }

        if (kind is MessageHeaderKind.Tensor or MessageHeaderKind.SparseTensor)
        {
            throw new NotSupportedException($"{where}: {kind} messages are not supported.");
        }

        if (kind is not (MessageHeaderKind.Schema or MessageHeaderKind.DictionaryBatch or MessageHeaderKind.RecordBatch))
        {
            throw new ArrowFormatException($"{where}: unknown message header type {(byte)kind}.");
        }

        var header = message.GetTable(2, kind.ToString())
            ?? throw new ArrowFormatException($"{where}: the {kind} message has no header table.");
        return new IpcMessage(where, kind, header, bodyLength, metadata.Length);
    }

    /// <summary>Throws unless this is a message of <paramref name="expected"/> kind.</summary>
    public void Expect(MessageHeaderKind expected)
    {
        if (Kind != expected)
        {
            throw new ArrowFormatException($"{Where}: expected a {expected} message, found a {Kind} message.");
        }
    }
}

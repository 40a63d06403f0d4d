using Dsl.TestSupport.Columns;
using System.Buffers.Binary;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Ipc;

/// <summary>
/// Each malformation of a record batch's metadata, made by overwriting one field of a stream Apache.Arrow wrote, is an
/// <see cref="ArrowFormatException"/> that says what and where (the message, the field, the node or buffer).
/// </summary>
public class ArrayLoaderTests
{
    private static readonly Schema s_schema = new([new Field("n", Int32Type.Default, true), new Field("s", StringType.Default, true)], null);

    // Messages: 0 schema, 1 record batch. Nodes: 0 n, 1 s. Buffers: 0 n.validity, 1 n.values, 2 s.validity, 3 s.offsets, 4 s.data.
    private static byte[] Stream(ArrowCompression compression = ArrowCompression.None) => IpcSamples.Write(
        s_schema,
        [new RecordBatch(s_schema, [new Int32Array.Builder().AppendNullable([1, null, 3, 4]).Build(), new StringArray.Builder().AppendNullable(["ab", "c", null, "def"]).Build()], 4)],
        ArrowIpcFormat.Stream,
        compression);

    [Test]
    public void Load_NegativeNodeLength_Rejected() =>
        AssertRejected(IpcField.NodeLength, 0, -1, "field n: field node 0 has length -1");

    [Test]
    public void Load_NullCountAboveLength_Rejected() =>
        AssertRejected(IpcField.NodeNullCount, 1, 5, "field s: field node 1 has null count 5, outside [0, 4]");

    [Test]
    public void Load_NullCountDisagreesWithTheBitmap_Rejected() =>
        AssertRejected(IpcField.NodeNullCount, 0, 2, "field 'n', validity bitmap: the null count says 2 but the bitmap has 1 nulls (rule: null-count)");

    [Test]
    public void Load_BufferPastTheBody_Rejected() =>
        AssertRejected(IpcField.BufferLength, 1, 1 << 20, "values buffer 1 at body offset");

    [Test]
    public void Load_NegativeBufferOffset_Rejected() =>
        AssertRejected(IpcField.BufferOffset, 4, -8, "data buffer 4 at body offset -8");

    [Test]
    public void Load_ValuesBufferTooSmall_Rejected() =>
        AssertRejected(IpcField.BufferLength, 1, 12, "values buffer 1 has 12 bytes, fewer than the 16 its length needs");

    [Test]
    public void Load_LastOffsetBeyondTheData_Rejected() =>
        AssertRejected(IpcField.BufferLength, 4, 2, "field 's', data, row 1: the last offset is 6 but there are only 2 bytes in the data buffer (rule: offsets-bound)");

    [Test]
    public void Load_BatchLongerThanItsColumns_Rejected() =>
        AssertRejected(IpcField.BatchLength, 0, 5, "field n: the column has 4 rows but the batch has 5");

    [Test]
    public void Load_CompressedBufferDeclaringTooFewBytes_Rejected() =>
        AssertRejected(IpcField.UncompressedLength, 1, 4, "values buffer 1: the declared uncompressed length 4 is less than the 16 bytes the array needs", ArrowCompression.Zstd);

    [Test]
    public void Load_CompressedBufferDeclaringMoreThanItHolds_Rejected() =>
        AssertRejected(IpcField.UncompressedLength, 1, 1 << 30, "the buffer declares 1073741824 uncompressed bytes but decompresses to only ", ArrowCompression.Lz4);

    [Test]
    public void Load_UnknownCodec_Rejected()
    {
        var bytes = Stream(ArrowCompression.Zstd);
        var (start, _, _) = IpcLayout.Of(bytes).Messages[1];
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(start + 4));
        var message = IpcMessage.Decode(bytes[(start + 8)..(start + 8 + length)], "test");
        bytes[start + 8 + message.Header.GetTable(3, "compression")!.Value.PositionOf(0)] = 7;

        Assert.That(() => ReadAll(bytes), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("compressed with unknown codec 7").And.Message.Contains("message 1 at byte"));
    }

    [Test]
    public void Load_BatchOfAnotherSchema_SchemaBatchMismatch()
    {
        var ours = IpcLayout.Of(Stream());
        var narrow = new Schema([new Field("n", Int32Type.Default, true)], null);
        var other = IpcSamples.Write(narrow, [new RecordBatch(narrow, [new Int32Array.Builder().Append(1).Build()], 1)], ArrowIpcFormat.Stream);
        var otherLayout = IpcLayout.Of(other);
        var schema = ours.Messages[0];
        var batch = otherLayout.Messages.First(m => m.Kind == MessageHeaderKind.RecordBatch);
        byte[] spliced = [.. Stream().AsSpan(schema.Start, schema.Length), .. other.AsSpan(batch.Start, batch.Length), 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];

        Assert.That(() => ReadAll(spliced), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("the batch has only 1 field nodes, fewer than the schema needs (schema/batch mismatch)"));
    }

    [Test]
    public void Load_RecordBatchBeforeItsDictionary_Rejected()
    {
        var schema = new Schema([new Field("color", new DictionaryType(Int8Type.Default, StringType.Default, false), true)], null);
        var column = new DictionaryArray((DictionaryType)schema.FieldsList[0].DataType, new Int8Array.Builder().Append(0).Build(), new StringArray.Builder().Append("red").Build());
        var bytes = IpcSamples.Write(schema, [new RecordBatch(schema, [column], 1)], ArrowIpcFormat.Stream);
        var layout = IpcLayout.Of(bytes);
        var dictionary = layout.Messages.Single(m => m.Kind == MessageHeaderKind.DictionaryBatch);
        byte[] withoutDictionary = [.. bytes.AsSpan(0, dictionary.Start), .. bytes.AsSpan(dictionary.Start + dictionary.Length)];

        Assert.That(() => ReadAll(withoutDictionary), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("no dictionary batch with id 0 came before this record batch"));
    }

    [Test]
    public void Load_DictionaryIdOfNoField_Rejected()
    {
        var type = new DictionaryType(Int8Type.Default, StringType.Default, false);
        var schema = new Schema([new Field("color", type, true), new Field("size", type, true)], null);
        DictionaryArray Column() => new(type, new Int8Array.Builder().Append(0).Build(), new StringArray.Builder().Append("red").Build());
        var bytes = IpcSamples.Write(schema, [new RecordBatch(schema, [Column(), Column()], 1)], ArrowIpcFormat.Stream);

        // Apache.Arrow omits id 0 (the default), so the second dictionary's id (1) is the one written out.
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(IpcLayout.Of(bytes).Positions(IpcField.DictionaryId).Single()), 42);

        Assert.That(() => ReadAll(bytes), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("dictionary batch id 42 matches no dictionary-encoded field"));
    }

    private static void AssertRejected(IpcField field, int index, long value, string expected, ArrowCompression compression = ArrowCompression.None)
    {
        var bytes = Stream(compression);
        var position = IpcLayout.Of(bytes).Positions(field)[index];
        if (IpcLayout.Size(field) == 4) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(position), (int)value);
        else BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(position), value);

        Assert.That(() => ReadAll(bytes), Throws.InstanceOf<ArrowFormatException>().With.Message.Contains(expected).And.Message.Contains("message 1 at byte"));
    }

    private static void ReadAll(byte[] bytes)
    {
        using var reader = MappedArrowReader.FromMemory(bytes);
        IpcSamples.ReadAll(reader);
    }
}

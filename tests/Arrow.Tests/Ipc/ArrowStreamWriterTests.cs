using Dsl.Arrow.Ipc;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Ipc;

public class ArrowStreamWriterTests
{
    private static readonly int[] s_lengths = [0, 1, 3, 7, 8, 9, 33, 1000];

    [TestCaseSource(nameof(s_lengths))]
    public void WriteRecordBatch_StreamRoundTrip_SameValuesAndNulls(int length)
    {
        using var batch = IpcSamples.Batch(length, seed: length);

        using var reader = new ArrowStreamReader(new MemoryStream(IpcSamples.StreamBytes(IpcSamples.Schema, batch)));

        Assert.That(reader.Schema, Is.EqualTo(IpcSamples.Schema));
        Assert.That(IpcSamples.ReadAllAsJson(reader).ToJsonString(), Is.EqualTo(IpcSamples.Describe(IpcSamples.Schema, batch).ToJsonString()));
    }

    [Test]
    public void WriteRecordBatch_SeveralBatchesIncludingEmpty_ReadBackInOrder()
    {
        using var first = IpcSamples.Batch(10, seed: 1);
        using var empty = IpcSamples.Batch(0);
        using var last = IpcSamples.Batch(77, seed: 2);

        using var reader = new ArrowStreamReader(new MemoryStream(IpcSamples.StreamBytes(IpcSamples.Schema, first, empty, last)));

        Assert.That(
            IpcSamples.ReadAllAsJson(reader).ToJsonString(),
            Is.EqualTo(IpcSamples.Describe(IpcSamples.Schema, first, empty, last).ToJsonString()));
    }

    [TestCase(1, 5)]
    [TestCase(3, 30)]
    [TestCase(5, 0)]
    [TestCase(7, 64)]
    [TestCase(8, 17)]
    [TestCase(13, 86)]
    public void WriteRecordBatch_SlicedBatch_WritesOnlyTheSlicedRowsRebased(int offset, int length)
    {
        using var batch = IpcSamples.Batch(100, seed: 3);
        using var slice = batch.Slice(offset, length);

        var bytes = IpcSamples.StreamBytes(IpcSamples.Schema, slice);
        using var reader = new ArrowStreamReader(new MemoryStream(bytes));
        using var read = reader.ReadNextRecordBatch()!;

        Assert.That(IpcSamples.Describe(IpcSamples.Schema, read).ToJsonString(), Is.EqualTo(IpcSamples.Describe(IpcSamples.Schema, slice).ToJsonString()));
        Assert.That(read.Arrays.All(array => array.Offset == 0), Is.True);
        var name = (StringArray)read.Column("name");
        Assert.That(name.ValueOffsets[0], Is.EqualTo(0), "string offsets are rebased to start at 0");
    }

    [TestCase(0, 40)]
    [TestCase(1, 5)]
    [TestCase(3, 30)]
    [TestCase(9, 0)]
    public void WriteRecordBatch_NestedDictionaryTemporalSlices_RoundTrip(int offset, int length)
    {
        using var first = IpcSamples.NestedBatch(40, seed: 1);
        using var slice = first.Slice(offset, length);
        using var second = IpcSamples.NestedBatch(7, seed: 2);

        foreach (var bytes in new[] { IpcSamples.StreamBytes(IpcSamples.NestedSchema, slice, second), IpcSamples.FileBytes(IpcSamples.NestedSchema, slice, second) })
        {
            using IArrowReader reader = bytes[0] == (byte)'A' ? new ArrowFileReader(new MemoryStream(bytes)) : new ArrowStreamReader(new MemoryStream(bytes));

            Assert.That(reader.Schema, Is.EqualTo(IpcSamples.NestedSchema));
            Assert.That(IpcSamples.ReadAllAsJson(reader).ToJsonString(), Is.EqualTo(IpcSamples.Describe(IpcSamples.NestedSchema, slice, second).ToJsonString()));
        }
    }

    [Test]
    public void WriteRecordBatch_ChangedDictionary_StreamSendsItAgain()
    {
        var schema = new Schema([new Field("c", new DictionaryType(Int8Type.Default, StringType.Default, false), true)]);
        using var first = DictionaryBatch(schema, ["a", "b"]);
        using var same = DictionaryBatch(schema, ["a", "b"]);
        using var changed = DictionaryBatch(schema, ["x", "y"]);

        var bytes = IpcSamples.StreamBytes(schema, first, same, changed);
        using var reader = new ArrowStreamReader(new MemoryStream(bytes));

        Assert.That(CountMessages(bytes, MessageHeaderKind.DictionaryBatch), Is.EqualTo(2), "an unchanged dictionary is not sent again");
        Assert.That(IpcSamples.ReadAllAsJson(reader).ToJsonString(), Is.EqualTo(IpcSamples.Describe(schema, first, same, changed).ToJsonString()));
    }

    [Test]
    public void WriteRecordBatch_ChangedDictionaryInAFile_NotSupported()
    {
        var schema = new Schema([new Field("c", new DictionaryType(Int8Type.Default, StringType.Default, false), true)]);
        using var first = DictionaryBatch(schema, ["a", "b"]);
        using var changed = DictionaryBatch(schema, ["x", "y"]);
        using var writer = new ArrowFileWriter(new MemoryStream(), schema);
        writer.WriteRecordBatch(first);

        Assert.That(() => writer.WriteRecordBatch(changed), Throws.TypeOf<NotSupportedException>().With.Message.Contains("one dictionary per field"));
    }

    private static RecordBatch DictionaryBatch(Schema schema, string[] dictionary) => new(
        schema,
        [new DictionaryArray((DictionaryType)schema.FieldsList[0].DataType, new Int8Array.Builder().AppendRange([(sbyte)0, null, (sbyte)1]).Build(), new StringArray.Builder().AppendRange(dictionary).Build())],
        3);

    private static int CountMessages(byte[] bytes, MessageHeaderKind kind)
    {
        var count = 0;
        for (var position = 0; BitConverter.ToInt32(bytes, position + 4) is var length and > 0;)
        {
            var message = IpcMessage.Decode(bytes.AsSpan(position + 8, length).ToArray(), "test");
            count += message.Kind == kind ? 1 : 0;
            position += 8 + length + (int)message.BodyLength;
        }

        return count;
    }

    [Test]
    public void WriteEnd_NoBatches_SchemaOnlyStream()
    {
        using var reader = new ArrowStreamReader(new MemoryStream(IpcSamples.StreamBytes(IpcSamples.Schema)));

        Assert.That(reader.Schema, Is.EqualTo(IpcSamples.Schema));
        Assert.That(reader.ReadNextRecordBatch(), Is.Null);
        Assert.That(reader.ReadNextRecordBatch(), Is.Null);
    }

    [Test]
    public void WriteRecordBatch_Metadata_KeptOnSchemaAndFields()
    {
        using var reader = new ArrowStreamReader(new MemoryStream(IpcSamples.StreamBytes(IpcSamples.Schema)));

        Assert.That(reader.Schema.Metadata!["note"], Is.EqualTo("ünïcode ✓"));
        Assert.That(reader.Schema.GetFieldByName("i32")!.Metadata!["unit"], Is.EqualTo("cents"));
        Assert.That(reader.Schema.GetFieldByName("i64")!.IsNullable, Is.False);
    }

    [Test]
    public void WriteRecordBatch_Layout_MessagesAndBuffersAreEightByteAligned()
    {
        using var batch = IpcSamples.Batch(13, seed: 5);
        var bytes = IpcSamples.StreamBytes(IpcSamples.Schema, batch);

        var position = 0;
        while (true)
        {
            Assert.That(position % 8, Is.Zero, "each message starts 8-byte aligned");
            Assert.That(BitConverter.ToUInt32(bytes, position), Is.EqualTo(0xFFFFFFFF), "continuation marker");
            var metadataLength = BitConverter.ToInt32(bytes, position + 4);
            if (metadataLength == 0)
            {
                break;
            }

            Assert.That(metadataLength % 8, Is.Zero, "metadata padded to 8 bytes");
            var message = IpcMessage.Decode(bytes.AsSpan(position + 8, metadataLength).ToArray(), "test");
            Assert.That(message.BodyLength % 8, Is.Zero, "body padded to 8 bytes");
            if (message.Kind == MessageHeaderKind.RecordBatch)
            {
                var header = RecordBatchHeader.Decode(message.Header, "test");
                Assert.That(header.Buffers.All(buffer => buffer.Offset % 8 == 0), Is.True, "body buffers 8-byte aligned");
            }

            position += 8 + metadataLength + (int)message.BodyLength;
        }

        Assert.That(position + 8, Is.EqualTo(bytes.Length), "the stream ends with the end-of-stream marker");
    }

    [Test]
    public void WriteRecordBatch_DifferentSchema_ThrowsNamingTheColumn()
    {
        var other = new Schema([new Field("x", Int32Type.Default, true)]);
        using var batch = new RecordBatch(other, [new Int32Array.Builder().Append(1).Build()], 1);
        using var writer = new ArrowStreamWriter(new MemoryStream(), new Schema([new Field("x", Int64Type.Default, true)]));

        Assert.That(() => writer.WriteRecordBatch(batch), Throws.ArgumentException.With.Message.Contains("int64"));
    }

    [Test]
    public void WriteRecordBatch_AfterWriteEnd_Throws()
    {
        using var batch = IpcSamples.Batch(1);
        using var writer = new ArrowStreamWriter(new MemoryStream(), IpcSamples.Schema);
        writer.WriteEnd();

        Assert.That(() => writer.WriteRecordBatch(batch), Throws.InvalidOperationException);
    }
}

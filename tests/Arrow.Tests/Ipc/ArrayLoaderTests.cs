using Dsl.Arrow.Ipc;
using Dsl.Arrow.Ipc.FlatBuffers;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Ipc;

/// <summary>Each malformation of a record batch is an <see cref="ArrowFormatException"/> that says what and where.</summary>
public class ArrayLoaderTests
{
    private static readonly Schema s_schema = new([new Field("n", Int32Type.Default, true), new Field("s", StringType.Default, true)]);

    // Buffers: 0 n.validity, 1 n.values, 2 s.validity, 3 s.offsets, 4 s.data. Nodes: 0 n, 1 s.
    private static RecordBatch Batch() => new(
        s_schema,
        [
            new Int32Array.Builder().AppendRange([1, null, 3, 4]).Build(),
            new StringArray.Builder().AppendRange(["ab", "c", null, "def"]).Build(),
        ],
        4);

    [Test]
    public void Load_NegativeNodeLength_Rejected() =>
        AssertRejected(body => body.Nodes[0] = new FieldNode(-1, 0), "field n: field node 0 has length -1");

    [Test]
    public void Load_NullCountAboveLength_Rejected() =>
        AssertRejected(body => body.Nodes[1] = new FieldNode(4, 5), "field s: field node 1 has null count 5");

    [Test]
    public void Load_NullCountDisagreesWithBitmap_Rejected() =>
        AssertRejected(body => body.Nodes[0] = new FieldNode(4, 2), "field n: the null count says 2 but the validity bitmap has 1 nulls");

    [Test]
    public void Load_BufferPastTheBody_Rejected() =>
        AssertRejected(body => body.Buffers[1] = new BufferRegion(body.Length - 8, 64), "values buffer 1 at body offset");

    [Test]
    public void Load_NegativeBufferOffset_Rejected() =>
        AssertRejected(body => body.Buffers[4] = new BufferRegion(-8, 4), "data buffer 4 at body offset -8");

    [Test]
    public void Load_NegativeBufferLength_Rejected() =>
        AssertRejected(body => body.Buffers[3] = new BufferRegion(0, -1), "offsets buffer 3");

    [Test]
    public void Load_ValuesBufferTooSmall_Rejected() =>
        AssertRejected(body => body.Buffers[1] = body.Buffers[1] with { Length = 12 }, "values buffer 1 has 12 bytes, fewer than the 16");

    [Test]
    public void Load_LastOffsetBeyondData_Rejected() =>
        AssertRejected(body => body.Buffers[4] = body.Buffers[4] with { Length = 2 }, "field s: the last offset is 6 but there are only 2 data buffer bytes");

    [Test]
    public void Load_MissingFieldNode_SchemaBatchMismatch() =>
        AssertRejected(body => body.Nodes.RemoveAt(1), "schema/batch mismatch");

    [Test]
    public void Load_ExtraBuffers_SchemaBatchMismatch() =>
        AssertRejected(body => body.Buffers.Add(new BufferRegion(0, 0)), "schema/batch mismatch");

    [Test]
    public void Load_ColumnShorterThanBatch_Rejected() =>
        AssertRejected(_ => { }, "the column has 4 rows but the batch has 5", batchLength: 5);

    [Test]
    public void Load_DecreasingStringOffsets_Rejected()
    {
        using var offsets = NativeBuffer.FromValues<int>([0, 5, 2, 6]);
        using var data = NativeBuffer.FromBytes("abcdef"u8);
        var strings = new ArrayData(StringType.Default, 3, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer(), data.ToArrowBuffer()]);
        var schema = new Schema([new Field("s", StringType.Default, true)]);
        using var batch = new RecordBatch(schema, [ArrowArrayFactory.BuildArray(strings)], 3);

        using var reader = new ArrowStreamReader(new MemoryStream(IpcSamples.StreamBytes(schema, batch)));

        Assert.That(() => reader.ReadNextRecordBatch(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("field s: offsets decrease at row 1 (5 then 2)"));
    }

    [TestCase(1)]
    [TestCase(8)]
    [TestCase(33)]
    [TestCase(61)]
    public void Load_DecreasingOffsetPastTheVectorWidth_FoundAtItsRow(int row)
    {
        var values = Enumerable.Range(0, 64).Select(i => i).ToArray();
        values[row + 1] = values[row] - 1;
        values[^1] = 100;
        using var offsets = NativeBuffer.FromValues<int>(values);
        using var data = NativeBuffer.FromBytes(new byte[100]);
        var strings = new ArrayData(StringType.Default, 63, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer(), data.ToArrowBuffer()]);
        var schema = new Schema([new Field("s", StringType.Default, true)]);
        using var batch = new RecordBatch(schema, [ArrowArrayFactory.BuildArray(strings)], 63);

        using var reader = new ArrowStreamReader(new MemoryStream(IpcSamples.StreamBytes(schema, batch)));

        Assert.That(() => reader.ReadNextRecordBatch(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains($"offsets decrease at row {row} ({values[row]} then {values[row + 1]})"));
    }

    [TestCase((byte)0, "LZ4_FRAME")]
    [TestCase((byte)1, "ZSTD")]
    public void Load_CompressedBody_NotSupportedNamingTheCodec(byte codec, string name)
    {
        var stream = new MemoryStream();
        MessageSerializer.Write(stream, MessageSerializer.Schema(s_schema, []), null);
        MessageSerializer.Write(stream, CompressedBatchMessage(codec), null);

        using var reader = new ArrowStreamReader(new MemoryStream(stream.ToArray()));

        Assert.That(() => reader.ReadNextRecordBatch(), Throws.TypeOf<NotSupportedException>().With.Message.Contains(name).And.Message.Contains("message 1"));
    }

    private static void AssertRejected(Action<BatchBody> tamper, string expectedMessage, int? batchLength = null)
    {
        using var batch = Batch();
        var stream = new MemoryStream();
        MessageSerializer.Write(stream, MessageSerializer.Schema(s_schema, []), null);
        var body = BatchBody.Of(batch.Arrays.Select(array => array.Data));
        tamper(body);
        MessageSerializer.Write(stream, MessageSerializer.RecordBatch(batchLength ?? batch.Length, body), body);
        MessageSerializer.WriteEndOfStream(stream);

        using var reader = new ArrowStreamReader(new MemoryStream(stream.ToArray()));

        Assert.That(
            () => reader.ReadNextRecordBatch(),
            Throws.TypeOf<ArrowFormatException>().With.Message.Contains(expectedMessage).And.Message.Contains("message 1 at byte"));
    }

    private static byte[] CompressedBatchMessage(byte codec)
    {
        var builder = new FlatBufferBuilder();
        builder.StartTable(2);
        builder.AddByte(0, codec, 255);
        var compression = builder.EndTable();
        builder.StartTable(5);
        builder.AddInt64(0, 1, 0);
        builder.AddOffset(3, compression);
        var batch = builder.EndTable();
        builder.StartTable(5);
        builder.AddInt16(0, IpcMessage.CurrentVersion, 0);
        builder.AddByte(1, (byte)MessageHeaderKind.RecordBatch, 0);
        builder.AddOffset(2, batch);
        return builder.Finish(builder.EndTable());
    }
}

using System.Buffers.Binary;
using Dsl.Arrow.Ipc;

namespace Dsl.Arrow.Tests.Ipc;

public class ArrowFileReaderTests
{
    private string _path = "";

    [SetUp]
    public void CreatePath() => _path = Path.Combine(Path.GetTempPath(), $"dsl-ipc-{Guid.NewGuid():N}.arrow");

    [TearDown]
    public void DeleteFile() => File.Delete(_path);

    [Test]
    public void ReadRecordBatch_AnyOrder_SameValuesAsWritten()
    {
        using var first = IpcSamples.Batch(20, seed: 1);
        using var second = IpcSamples.Batch(0);
        using var third = IpcSamples.Batch(65, seed: 2);
        File.WriteAllBytes(_path, IpcSamples.FileBytes(IpcSamples.Schema, first, second, third));

        using var reader = ArrowFileReader.OpenMapped(_path);
        using var readThird = reader.ReadRecordBatch(2);
        using var readFirst = reader.ReadRecordBatch(0);

        Assert.That(reader.RecordBatchCount, Is.EqualTo(3));
        Assert.That(reader.Schema, Is.EqualTo(IpcSamples.Schema));
        Assert.That(IpcSamples.Describe(reader.Schema, readFirst, readThird).ToJsonString(), Is.EqualTo(IpcSamples.Describe(reader.Schema, first, third).ToJsonString()));
        Assert.That(() => reader.ReadRecordBatch(3), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void OpenMapped_Arrays_PointIntoTheMappingWithoutCopy()
    {
        using var batch = IpcSamples.Batch(100, seed: 4);
        File.WriteAllBytes(_path, IpcSamples.FileBytes(IpcSamples.Schema, batch));
        var liveBefore = Dsl.Arrow.Memory.NativeMemoryOwner.LiveBytes;

        using var reader = ArrowFileReader.OpenMapped(_path);
        using var read = reader.ReadRecordBatch(0);

        var values = read.Column("f64").Data.Buffers[1];
        Assert.That(values.Owner, Is.TypeOf<MappedFileMemoryOwner>());
        var mapping = values.Owner!;
        Assert.That((long)values.Address, Is.InRange((long)mapping.Address, (long)mapping.Address + mapping.Length));
        Assert.That(Dsl.Arrow.Memory.NativeMemoryOwner.LiveBytes, Is.EqualTo(liveBefore), "nothing was copied into native memory");
    }

    [Test]
    public void OpenMapped_ReaderDisposedFirst_MappingLivesUntilTheLastArrayGoes()
    {
        using var batch = IpcSamples.Batch(50, seed: 5);
        File.WriteAllBytes(_path, IpcSamples.FileBytes(IpcSamples.Schema, batch));
        var expected = IpcSamples.Describe(IpcSamples.Schema, batch).ToJsonString();

        var reader = ArrowFileReader.OpenMapped(_path);
        var read = reader.ReadRecordBatch(0);
        var mapping = read.Column(0).Data.Buffers[1].Owner!;
        reader.Dispose();

        Assert.That(mapping.IsReleased, Is.False);
        Assert.That(IpcSamples.Describe(IpcSamples.Schema, read).ToJsonString(), Is.EqualTo(expected));
        var column = read.Column("name").Slice(3, 10);
        read.Dispose();
        Assert.That(mapping.IsReleased, Is.False, "a slice still holds the mapping");
        column.Dispose();
        Assert.That(mapping.IsReleased, Is.True);
    }

    [Test]
    public void Constructor_SeekableStream_ReadsLikeTheMapping()
    {
        using var batch = IpcSamples.Batch(30, seed: 6);

        using var reader = new ArrowFileReader(new MemoryStream(IpcSamples.FileBytes(IpcSamples.Schema, batch)));

        Assert.That(IpcSamples.ReadAllAsJson(reader).ToJsonString(), Is.EqualTo(IpcSamples.Describe(IpcSamples.Schema, batch).ToJsonString()));
    }

    [Test]
    public void OpenMapped_EmptyFile_ArrowFormatException()
    {
        File.WriteAllBytes(_path, []);

        Assert.That(() => ArrowFileReader.OpenMapped(_path), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("empty"));
    }

    [Test]
    public void OpenMapped_WrongMagic_ArrowFormatExceptionSaysSo()
    {
        var bytes = IpcSamples.FileBytes(IpcSamples.Schema);
        bytes[0] = (byte)'X';
        File.WriteAllBytes(_path, bytes);

        Assert.That(() => ArrowFileReader.OpenMapped(_path), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("ARROW1 magic"));
    }

    [TestCase(1)]
    [TestCase(10)]
    [TestCase(100)]
    public void OpenMapped_Truncated_ArrowFormatException(int removed)
    {
        using var batch = IpcSamples.Batch(40);
        var bytes = IpcSamples.FileBytes(IpcSamples.Schema, batch);
        File.WriteAllBytes(_path, bytes[..^removed]);

        Assert.That(() => ArrowFileReader.OpenMapped(_path), Throws.TypeOf<ArrowFormatException>());
    }

    [Test]
    public void OpenMapped_FooterLengthTooLarge_SaysWhere()
    {
        var bytes = IpcSamples.FileBytes(IpcSamples.Schema);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 10), int.MaxValue);
        File.WriteAllBytes(_path, bytes);

        Assert.That(() => ArrowFileReader.OpenMapped(_path), Throws.TypeOf<ArrowFormatException>().With.Message.Contains($"footer length {int.MaxValue}"));
    }

    [Test]
    public void ReadRecordBatch_BlockOutsideTheFile_SaysWhichBatch()
    {
        using var batch = IpcSamples.Batch(5);
        var bytes = IpcSamples.FileBytes(IpcSamples.Schema, batch);
        // The record batch block's body length is the last 8 bytes of the footer's only Block struct.
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 10));
        var footer = bytes.AsSpan(bytes.Length - 10 - footerLength, footerLength);
        var blockBody = IndexOfBlockBodyLength(footer);
        BinaryPrimitives.WriteInt64LittleEndian(footer[blockBody..], 1L << 40);
        File.WriteAllBytes(_path, bytes);

        using var reader = ArrowFileReader.OpenMapped(_path);

        Assert.That(() => reader.ReadRecordBatch(0), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("record batch 0"));
    }

    [Test]
    public void Constructor_UnseekableStream_ArgumentException()
    {
        Assert.That(() => new ArrowFileReader(new UnseekableStream()), Throws.ArgumentException.With.Message.Contains("seekable"));
    }

    private static int IndexOfBlockBodyLength(Span<byte> footer)
    {
        var table = Dsl.Arrow.Ipc.FlatBuffers.FlatTable.Root(footer.ToArray(), "footer");
        var blocks = table.GetVector(3, "recordBatches", 24);
        return blocks.Start + 16;
    }

    private sealed class UnseekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}

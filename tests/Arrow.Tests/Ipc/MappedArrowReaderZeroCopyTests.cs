using Dsl.TestSupport.Columns;
using System.Runtime.InteropServices;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Ipc;

/// <summary>
/// Opening a large file copies nothing: every buffer of the batch is memory of the file's mapping (its memory manager
/// is the <see cref="MappedFile"/>, its bytes inside the mapped range), and reading it allocates neither managed nor
/// native memory of the buffers' size.
/// </summary>
[NonParallelizable]
public class MappedArrowReaderZeroCopyTests
{
    private const int Rows = 1_000_000;

    private string _path = "";

    [OneTimeSetUp]
    public void WriteLargeFile()
    {
        _path = Path.Combine(Path.GetTempPath(), $"dsl-zero-copy-{Guid.NewGuid():N}.arrow");
        var schema = new Schema([new Field("id", Int64Type.Default, false), new Field("text", StringType.Default, true)], null);
        var ids = new Int64Array.Builder().AppendRange(Enumerable.Range(0, Rows).Select(i => (long)i * 3)).Build();
        var text = new StringArray.Builder().AppendNullable(Enumerable.Range(0, Rows).Select(i => i % 10 == 0 ? null : "row " + i)).Build();
        using var writer = ArrowBatchWriter.Create(_path, schema);
        writer.Write(new RecordBatch(schema, [ids, text], Rows));
    }

    [OneTimeTearDown]
    public void DeleteFile()
    {
        Collector.Settle();
        File.Delete(_path);
    }

    [Test]
    public void Open_LargeFile_BuffersPointIntoTheMappingAndNothingBufferSizedIsAllocated()
    {
        Collector.Settle();
        var nativeBefore = NativeBlock.LiveBytes;
        var managedBefore = GC.GetAllocatedBytesForCurrentThread();

        using var reader = MappedArrowReader.Open(_path);
        var batch = reader.ReadRecordBatch(0);

        var managed = GC.GetAllocatedBytesForCurrentThread() - managedBefore;
        var native = NativeBlock.LiveBytes - nativeBefore;
        var buffers = batch.Arrays.SelectMany(array => array.Data.Buffers).Where(buffer => !buffer.IsEmpty).ToList();
        var bufferBytes = buffers.Sum(buffer => (long)buffer.Length);
        Assert.That(bufferBytes, Is.GreaterThan(15_000_000), "the file is large");
        Assert.That(managed, Is.LessThan(256 << 10), "no managed copy of the buffers");
        Assert.That(native, Is.Zero, "no native copy of the buffers");
        MappedFile? mapping = null;
        foreach (var buffer in buffers)
        {
            Assert.That(MemoryMarshal.TryGetMemoryManager(buffer.Memory, out MappedFile? manager, out var start, out var length), Is.True);
            mapping ??= manager;
            Assert.That(manager, Is.SameAs(mapping), "one mapping holds every buffer");
            Assert.That(start, Is.GreaterThanOrEqualTo(0));
            Assert.That(start + length, Is.LessThanOrEqualTo(mapping!.Length));
        }

        Assert.That(mapping!.Length, Is.EqualTo(new FileInfo(_path).Length));
        var ids = (Int64Array)batch.Column(0);
        var text = (StringArray)batch.Column(1);
        Assert.That((ids.GetValue(0), ids.GetValue(Rows - 1)), Is.EqualTo(((long?)0, (long?)(Rows - 1) * 3)));
        Assert.That((text.GetString(0), text.GetString(Rows - 1)), Is.EqualTo(((string?)null, "row " + (Rows - 1))));
    }
}

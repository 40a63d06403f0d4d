using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Ipc;

[NonParallelizable]
public class MappedArrowReaderTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("dsl-reader-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        Collector.Settle();
        Directory.Delete(_directory, recursive: true);
    }

    private static IEnumerable<TestCaseData> FormatsAndCodecs() =>
        from format in new[] { ArrowIpcFormat.File, ArrowIpcFormat.Stream }
        from compression in new[] { ArrowCompression.None, ArrowCompression.Lz4, ArrowCompression.Zstd }
        select new TestCaseData(format, compression).SetArgDisplayNames(format.ToString(), compression.ToString());

    private static RecordBatch[] NestedBatches()
    {
        var nested = IpcSamples.NestedBatch(23, seed: 2);
        return [nested, IpcSamples.NestedBatch(0), nested.Slice(3, 17), IpcSamples.NestedBatch(1)];
    }

    [TestCaseSource(nameof(FormatsAndCodecs))]
    public void FromMemory_EveryTypeNestedSlicedAndEmptyBatches_TheValuesWritten(ArrowIpcFormat format, ArrowCompression compression)
    {
        var batches = NestedBatches();
        using var reader = MappedArrowReader.FromMemory(IpcSamples.Write(IpcSamples.NestedSchema, batches, format, compression));

        Assert.That(reader.Format, Is.EqualTo(format));
        Assert.That(IpcSamples.Render(IpcSamples.ReadAll(reader)), Is.EqualTo(IpcSamples.Render(batches)));
    }

    [TestCaseSource(nameof(FormatsAndCodecs))]
    public void Open_MappedFromDisk_TheValuesWritten(ArrowIpcFormat format, ArrowCompression compression)
    {
        var batches = new[] { IpcSamples.FlatBatch(40, seed: 1), IpcSamples.FlatBatch(3, seed: 2) };
        var path = WriteFile(IpcSamples.FlatSchema, batches, format, compression);

        using var reader = MappedArrowReader.Open(path);

        Assert.That(reader.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(IpcSamples.FlatSchema.FieldsList.Select(f => f.Name)));
        Assert.That(reader.Schema.Metadata, Is.EquivalentTo(IpcSamples.FlatSchema.Metadata));
        Assert.That(IpcSamples.Render(IpcSamples.ReadAll(reader)), Is.EqualTo(IpcSamples.Render(batches)));
    }

    [Test]
    public void ReadRecordBatch_AnyOrder_TheBatchAtThatIndex()
    {
        var batches = NestedBatches();
        using var reader = MappedArrowReader.FromMemory(IpcSamples.Write(IpcSamples.NestedSchema, batches, ArrowIpcFormat.File));

        Assert.That(reader.RecordBatchCount, Is.EqualTo(batches.Length));
        foreach (var index in new[] { 2, 0, 3, 1, 2 })
        {
            Assert.That(ArrayValues.Render(reader.ReadRecordBatch(index)), Is.EqualTo(ArrayValues.Render(batches[index])), $"batch {index}");
        }

        Assert.That(() => reader.ReadRecordBatch(4), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ReadRecordBatch_Stream_NoRandomAccess()
    {
        using var reader = MappedArrowReader.FromMemory(IpcSamples.Write(IpcSamples.FlatSchema, [IpcSamples.FlatBatch(2)], ArrowIpcFormat.Stream));

        Assert.That(reader.RecordBatchCount, Is.Null);
        Assert.That(() => reader.ReadRecordBatch(0), Throws.InvalidOperationException.With.Message.Contains("stream"));
    }

    [Test]
    public async Task ReadNextRecordBatchAsync_EveryBatchThenNull()
    {
        using var reader = MappedArrowReader.FromMemory(IpcSamples.Write(IpcSamples.FlatSchema, [IpcSamples.FlatBatch(2), IpcSamples.FlatBatch(5)], ArrowIpcFormat.Stream));

        Assert.That((await reader.ReadNextRecordBatchAsync()).Length, Is.EqualTo(2));
        Assert.That((await reader.ReadNextRecordBatchAsync()).Length, Is.EqualTo(5));
        Assert.That(await reader.ReadNextRecordBatchAsync(), Is.Null);
    }

    [TestCase(ArrowIpcFormat.File)]
    [TestCase(ArrowIpcFormat.Stream)]
    public void Open_SchemaOnly_SchemaAndNoBatches(ArrowIpcFormat format)
    {
        using var reader = MappedArrowReader.Open(WriteFile(IpcSamples.NestedSchema, [], format));

        Assert.That(reader.Schema.FieldsList, Has.Count.EqualTo(IpcSamples.NestedSchema.FieldsList.Count));
        Assert.That(reader.RecordBatchCount, format == ArrowIpcFormat.File ? Is.Zero : Is.Null);
        Assert.That(reader.ReadNextRecordBatch(), Is.Null);
        Assert.That(reader.ReadNextRecordBatch(), Is.Null);
    }

    [TestCase(ArrowIpcFormat.File)]
    [TestCase(ArrowIpcFormat.Stream)]
    public void Open_EmptyBatches_ZeroRowsEach(ArrowIpcFormat format)
    {
        using var reader = MappedArrowReader.Open(WriteFile(IpcSamples.NestedSchema, [IpcSamples.NestedBatch(0), IpcSamples.NestedBatch(0)], format));

        var batches = IpcSamples.ReadAll(reader);

        Assert.That(batches.Select(b => b.Length), Is.EqualTo(new[] { 0, 0 }));
        Assert.That(batches.SelectMany(b => b.Arrays).Select(a => a.Length), Is.All.Zero);
    }

    [TestCase(ArrowIpcFormat.File)]
    [TestCase(ArrowIpcFormat.Stream)]
    public void Open_EveryBufferOfEveryArray_EightByteAligned(ArrowIpcFormat format)
    {
        using var reader = MappedArrowReader.Open(WriteFile(IpcSamples.NestedSchema, NestedBatches(), format));

        var addresses = IpcSamples.ReadAll(reader).SelectMany(b => b.Arrays).SelectMany(a => Buffers(a.Data)).Where(b => !b.IsEmpty).Select(Address).ToList();

        Assert.That(addresses, Is.Not.Empty);
        Assert.That(addresses.Select(a => a % 8), Is.All.Zero);
    }

    [Test]
    public void Dispose_AfterBatchesWereRead_TheyStayReadableAndTheMappingGoesWithTheLastOfThem()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Mappings are observed in /proc/self/maps.");
        var batches = new[] { IpcSamples.NestedBatch(11, seed: 4) };
        var path = WriteFile(IpcSamples.NestedSchema, batches, ArrowIpcFormat.File);

        ReadDisposeThenReadTheBatches(path, IpcSamples.Render(batches));
        Collector.Settle();

        Assert.That(IsMapped(path), Is.False, "unmapped once no batch references it");
    }

    [Test]
    public void Dispose_NoBatchRead_UnmapsAtOnce()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Mappings are observed in /proc/self/maps.");
        var path = WriteFile(IpcSamples.FlatSchema, [IpcSamples.FlatBatch(3)], ArrowIpcFormat.File);
        var reader = MappedArrowReader.Open(path);
        Assert.That(IsMapped(path), Is.True);

        reader.Dispose();

        Assert.That(IsMapped(path), Is.False);
        Assert.That(() => reader.ReadNextRecordBatch(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Open_EmptyFile_SaysSo()
    {
        var path = Path.Combine(_directory, "empty.arrow");
        File.WriteAllBytes(path, []);

        Assert.That(() => MappedArrowReader.Open(path), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("the file is empty"));
    }

    [Test]
    public void FromMemory_Truncated_SaysTheFileDoesNotEndWithTheMagic()
    {
        var bytes = IpcSamples.Write(IpcSamples.FlatSchema, [IpcSamples.FlatBatch(3)], ArrowIpcFormat.File);

        Assert.That(() => MappedArrowReader.FromMemory(bytes[..^3]), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("does not end with it (is it truncated?)"));
    }

    [Test]
    public void FromMemory_FooterLengthTooLarge_SaysWhere()
    {
        var bytes = IpcSamples.Write(IpcSamples.FlatSchema, [IpcSamples.FlatBatch(3)], ArrowIpcFormat.File);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 10), 1 << 30);

        Assert.That(() => MappedArrowReader.FromMemory(bytes), Throws.TypeOf<ArrowFormatException>().With.Message.Contains($"footer length {1 << 30} at byte {bytes.Length - 10}"));
    }

    [Test]
    public void ReadRecordBatch_BlockOutsideTheFile_SaysWhichBatch()
    {
        var bytes = IpcSamples.Write(IpcSamples.FlatSchema, [IpcSamples.FlatBatch(3), IpcSamples.FlatBatch(4)], ArrowIpcFormat.File);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(IpcLayout.Of(bytes).Positions(IpcField.BlockOffset)[1]), 1L << 40);
        using var reader = MappedArrowReader.FromMemory(bytes);

        Assert.That(reader.ReadRecordBatch(0).Length, Is.EqualTo(3));
        Assert.That(() => reader.ReadRecordBatch(1), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("record batch 1 (block at byte 1099511627776)"));
    }

    [Test]
    public void FromMemory_StreamEndingInsideAMessage_SaysWhichMessage()
    {
        var bytes = IpcSamples.Write(IpcSamples.FlatSchema, [IpcSamples.FlatBatch(3)], ArrowIpcFormat.Stream);
        var batch = IpcLayout.Of(bytes).Messages[1];
        using var reader = MappedArrowReader.FromMemory(bytes[..(batch.Start + 20)]);

        Assert.That(() => reader.ReadNextRecordBatch(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains($"message 1 at byte {batch.Start}"));
    }

    [Test]
    public void FromMemory_EmptyInput_SaysThereIsNoSchema() =>
        Assert.That(() => MappedArrowReader.FromMemory(ReadOnlyMemory<byte>.Empty), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("ends before the schema message"));

    [Test]
    public void FromMemory_Compressed_BuffersAreDecompressedIntoNativeMemory()
    {
        var bytes = IpcSamples.Write(IpcSamples.FlatSchema, [IpcSamples.FlatBatch(30)], ArrowIpcFormat.File, ArrowCompression.Zstd);
        using var reader = MappedArrowReader.FromMemory(bytes);

        var values = reader.ReadRecordBatch(0).Column(2).Data.Buffers[1];

        Assert.That(MemoryMarshal.TryGetMemoryManager<byte, ArrowExtensions.Memory.NativeBlock>(values.Memory, out _), Is.True);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReadDisposeThenReadTheBatches(string path, string expected)
    {
        List<RecordBatch> batches;
        using (var reader = MappedArrowReader.Open(path))
        {
            batches = IpcSamples.ReadAll(reader);
        }

        Collector.Settle();
        Assert.That(IsMapped(path), Is.True, "the batches still point into the mapping");
        Assert.That(IpcSamples.Render(batches), Is.EqualTo(expected));
    }

    private static bool IsMapped(string path) => File.ReadLines("/proc/self/maps").Any(line => line.EndsWith(path, StringComparison.Ordinal));

    private static IEnumerable<ArrowBuffer> Buffers(ArrayData data) =>
        data.Buffers.Concat((data.Children ?? []).SelectMany(Buffers)).Concat(data.Dictionary is null ? [] : Buffers(data.Dictionary));

    private static unsafe long Address(ArrowBuffer buffer)
    {
        fixed (byte* pointer = buffer.Span) return (long)pointer;
    }

    private string WriteFile(Schema schema, IEnumerable<RecordBatch> batches, ArrowIpcFormat format, ArrowCompression compression = ArrowCompression.None)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.{(format == ArrowIpcFormat.File ? "arrow" : "arrows")}");
        File.WriteAllBytes(path, IpcSamples.Write(schema, batches, format, compression));
        return path;
    }
}

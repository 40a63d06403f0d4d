using System.Runtime.InteropServices;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Ipc;

public class ArrowBatchWriterTests
{
    private static readonly DictionaryType s_colors = new(Int8Type.Default, StringType.Default, false);

    private static IEnumerable<TestCaseData> FormatsAndCodecs() =>
        from format in new[] { ArrowIpcFormat.File, ArrowIpcFormat.Stream }
        from compression in new[] { ArrowCompression.None, ArrowCompression.Lz4, ArrowCompression.Zstd }
        select new TestCaseData(format, compression).SetArgDisplayNames(format.ToString(), compression.ToString());

    [TestCaseSource(nameof(FormatsAndCodecs))]
    public void Write_EveryTypeWholeSlicedAndEmpty_ReadBackEqualHereAndByApacheArrow(ArrowIpcFormat format, ArrowCompression compression)
    {
        var nested = IpcSamples.NestedBatch(31, seed: 5);
        RecordBatch[] batches = [nested, nested.Slice(7, 13), IpcSamples.NestedBatch(0), nested.Slice(30, 1)];

        var bytes = IpcSamples.Write(IpcSamples.NestedSchema, batches, format, compression);

        using var ours = MappedArrowReader.FromMemory(bytes);
        Assert.That(IpcSamples.Render(IpcSamples.ReadAll(ours)), Is.EqualTo(IpcSamples.Render(batches)));
        using var apache = format == ArrowIpcFormat.File
            ? new ArrowFileReader(new MemoryStream(bytes), new CompressionCodecFactory())
            : new ArrowStreamReader(new MemoryStream(bytes), new CompressionCodecFactory());
        var readByApache = new List<RecordBatch>();
        while (apache.ReadNextRecordBatch() is { } batch) readByApache.Add(batch);
        Assert.That(IpcSamples.Render(readByApache), Is.EqualTo(IpcSamples.Render(batches)));
    }

    [TestCase(ArrowCompression.Lz4)]
    [TestCase(ArrowCompression.Zstd)]
    public void Write_CompressibleData_SmallerThanUncompressed(ArrowCompression compression)
    {
        var schema = new Schema([new Field("n", Int64Type.Default, false), new Field("s", StringType.Default, false)], null);
        var batch = new RecordBatch(
            schema,
            [new Int64Array.Builder().AppendRange(Enumerable.Range(0, 10_000).Select(i => (long)(i % 7))).Build(), new StringArray.Builder().AppendRange(Enumerable.Repeat("the same words", 10_000)).Build()],
            10_000);

        var plain = IpcSamples.Write(schema, [batch], ArrowIpcFormat.File);
        var compressed = IpcSamples.Write(schema, [batch], ArrowIpcFormat.File, compression);

        Assert.That(compressed.Length, Is.LessThan(plain.Length / 4));
        using var reader = MappedArrowReader.FromMemory(compressed);
        Assert.That(ArrayValues.Render(reader.ReadRecordBatch(0)), Is.EqualTo(ArrayValues.Render(batch)));
    }

    /// <summary>
    /// Apache.Arrow's writer sends each dictionary once: a second batch whose dictionary changed is written with its
    /// indices only, and reads back decoded through the first batch's dictionary — wrong values, no error. Ours refuses.
    /// </summary>
    [TestCase(ArrowIpcFormat.File)]
    [TestCase(ArrowIpcFormat.Stream)]
    public void Write_ChangedDictionary_ApacheAloneKeepsTheFirstOursRefusesNamingTheColumn(ArrowIpcFormat format)
    {
        var schema = new Schema([new Field("color", s_colors, true)], null);
        var first = new RecordBatch(schema, [Colors("red", "green")], 2);
        var second = new RecordBatch(schema, [Colors("blue", "yellow")], 2);

        var output = new MemoryStream();
        using (var apache = format == ArrowIpcFormat.File ? new ArrowFileWriter(output, schema, leaveOpen: true) : new ArrowStreamWriter(output, schema, leaveOpen: true))
        {
            apache.WriteRecordBatch(first);
            apache.WriteRecordBatch(second);
            apache.WriteEnd();
        }

        using (var reader = MappedArrowReader.FromMemory(output.ToArray()))
        {
            var read = IpcSamples.ReadAll(reader);
            Assert.That(ArrayValues.Render(read[1].Column(0)), Is.EqualTo("[\"red\", \"green\"]"), "Apache.Arrow wrote the second batch against the first dictionary");
        }

        using var ours = ArrowBatchWriter.Create(new MemoryStream(), schema, new ArrowWriteOptions { Format = format });
        ours.Write(first);
        Assert.That(() => ours.Write(second), Throws.TypeOf<NotSupportedException>().With.Message.StartsWith("Column 'color': its dictionary changed between batches"));
    }

    [Test]
    public void Write_ChangedDictionaryNestedInAStruct_RefusedNamingThePath()
    {
        var point = new StructType([new Field("color", s_colors, true)]);
        var schema = new Schema([new Field("point", point, true)], null);
        RecordBatch Batch(params string[] colors) => new(schema, [new StructArray(point, 2, [Colors(colors)], ArrowBuffer.Empty)], 2);
        using var writer = ArrowBatchWriter.Create(new MemoryStream(), schema);
        writer.Write(Batch("red", "green"));

        Assert.That(() => writer.Write(Batch("red", "blue")), Throws.TypeOf<NotSupportedException>().With.Message.StartsWith("Column 'point.color'"));
    }

    [Test]
    public void Write_SameDictionaryContentsInANewInstance_Allowed()
    {
        var schema = new Schema([new Field("color", s_colors, true)], null);
        var output = new MemoryStream();
        using (var writer = ArrowBatchWriter.Create(output, schema, leaveOpen: true))
        {
            writer.Write(new RecordBatch(schema, [Colors("red", "green")], 2));
            writer.Write(new RecordBatch(schema, [Colors("red", "green")], 2));
        }

        using var reader = MappedArrowReader.FromMemory(output.ToArray());
        Assert.That(reader.RecordBatchCount, Is.EqualTo(2));
    }

    /// <summary>
    /// Offsets may start above zero (arrow-rs slices that way). Apache.Arrow's writer rebases offsets only for arrays with
    /// a nonzero <see cref="ArrayData.Offset"/>, so on its own it writes these values shifted; ours rebases them first.
    /// </summary>
    [Test]
    public void Write_OffsetsNotStartingAtZero_ApacheAloneShiftsTheValuesOursWritesThemRebased()
    {
        var strings = new StringArray(new ArrayData(StringType.Default, 2, 0, 0, [ArrowBuffer.Empty, Buffer(3, 5, 8), new ArrowBuffer("xxxabcdefgh"u8.ToArray())]));
        var lists = new ListArray(new ArrayData(new ListType(Int32Type.Default), 2, 0, 0, [ArrowBuffer.Empty, Buffer(2, 3, 5)], [new Int32Array.Builder().AppendRange([9, 9, 1, 2, 3]).Build().Data]));
        var schema = new Schema([new Field("s", StringType.Default, false), new Field("l", new ListType(Int32Type.Default), false)], null);
        var batch = new RecordBatch(schema, [strings, lists], 2);
        Assert.That(ArrayValues.Render(batch), Is.EqualTo("s: [\"ab\", \"cde\"]\nl: [[1], [2, 3]]"));

        var apacheOutput = new MemoryStream();
        using (var apache = new ArrowStreamWriter(apacheOutput, schema, leaveOpen: true))
        {
            apache.WriteRecordBatch(batch);
            apache.WriteEnd();
        }

        Assert.That(ReadBack(apacheOutput.ToArray()), Is.Not.EqualTo(ArrayValues.Render(batch)), "Apache.Arrow alone writes shifted values (or offsets past the data)");
        Assert.That(ReadBack(IpcSamples.Write(schema, [batch], ArrowIpcFormat.Stream)), Is.EqualTo(ArrayValues.Render(batch)));
    }

    /// <summary>
    /// Apache.Arrow's writer rebases a sliced string array by its first offset only when the slice has rows: an empty
    /// slice keeps its offset (here 5) over an empty data buffer. The reader accepts it (an empty array's single offset is
    /// not held to the data, as Arrow C++ validates), and ours writes offsets [0] anyway.
    /// </summary>
    [Test]
    public void Write_EmptySliceOfStrings_ApacheKeepsTheSlicesOffsetOursWritesZero()
    {
        var schema = new Schema([new Field("s", StringType.Default, true)], null);
        var batch = new RecordBatch(schema, [new StringArray.Builder().AppendRange(["ab", "cde", "f"]).Build()], 3).Slice(2, 0);

        var apacheOutput = new MemoryStream();
        using (var apache = new ArrowStreamWriter(apacheOutput, schema, leaveOpen: true))
        {
            apache.WriteRecordBatch(batch);
            apache.WriteEnd();
        }

        Assert.That(ReadBack(apacheOutput.ToArray()), Is.EqualTo("s: []"), "an empty array's offset past its data reads back as empty");
        Assert.That(ReadBack(IpcSamples.Write(schema, [batch], ArrowIpcFormat.Stream)), Is.EqualTo("s: []"));
    }

    [Test]
    public void Write_BatchOfAnotherSchema_ArgumentExceptionNamingTheColumn()
    {
        var schema = new Schema([new Field("n", Int32Type.Default, true)], null);
        var other = new Schema([new Field("n", DoubleType.Default, true)], null);
        using var writer = ArrowBatchWriter.Create(new MemoryStream(), schema);

        Assert.That(() => writer.Write(new RecordBatch(other, [new DoubleArray.Builder().Append(1).Build()], 1)),
            Throws.ArgumentException.With.Message.Contains("Column 'n' is double but the file's schema says int32"));
    }

    [Test]
    public void Write_AfterFinish_Throws()
    {
        using var writer = ArrowBatchWriter.Create(new MemoryStream(), IpcSamples.FlatSchema);
        writer.Finish();

        Assert.That(() => writer.Write(IpcSamples.FlatBatch(1)), Throws.InvalidOperationException);
    }

    [TestCase(ArrowIpcFormat.File)]
    [TestCase(ArrowIpcFormat.Stream)]
    public void Dispose_WithoutBatches_TheSchemaIsWritten(ArrowIpcFormat format)
    {
        var output = new MemoryStream();
        ArrowBatchWriter.Create(output, IpcSamples.NestedSchema, new ArrowWriteOptions { Format = format }, leaveOpen: true).Dispose();

        using var reader = MappedArrowReader.FromMemory(output.ToArray());
        Assert.That(reader.Format, Is.EqualTo(format));
        Assert.That(reader.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(IpcSamples.NestedSchema.FieldsList.Select(f => f.Name)));
        Assert.That(reader.ReadNextRecordBatch(), Is.Null);
    }

    [Test]
    public void Create_Path_WritesTheFileOnDispose()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dsl-writer-{Guid.NewGuid():N}.arrow");
        try
        {
            using (var writer = ArrowBatchWriter.Create(path, IpcSamples.FlatSchema, new ArrowWriteOptions { Compression = ArrowCompression.Lz4 }))
            {
                writer.Write(IpcSamples.FlatBatch(12));
            }

            using var reader = MappedArrowReader.Open(path);
            Assert.That(ArrayValues.Render(reader.ReadRecordBatch(0)), Is.EqualTo(ArrayValues.Render(IpcSamples.FlatBatch(12))));
        }
        finally
        {
            Collector.Settle();
            File.Delete(path);
        }
    }

    private static DictionaryArray Colors(params string[] values) =>
        new(s_colors, new Int8Array.Builder().AppendRange(Enumerable.Range(0, values.Length).Select(i => (sbyte)i)).Build(), new StringArray.Builder().AppendRange(values).Build());

    private static ArrowBuffer Buffer(params int[] values) => new(MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static string ReadBack(byte[] bytes)
    {
        try
        {
            using var reader = MappedArrowReader.FromMemory(bytes);
            return ArrayValues.Render(reader.ReadNextRecordBatch()!);
        }
        catch (ArrowFormatException exception)
        {
            return exception.Message;
        }
    }
}

using System.Linq.Expressions;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;
using Dsl.TestSupport.Columns;

namespace Dsl.Codegen.Tests.Columns;

/// <summary>
/// Binding reads the caller's buffers in place: each view points at the very memory of the caller's
/// <see cref="ArrowBuffer"/> (slice offset applied to values and offsets, bit offsets kept for bitmaps), each buffer
/// is pinned once per frame (one frame per batch, however many ranges run), and the pins go with the frame.
/// </summary>
[TestFixture]
public sealed class ArrowColumnsTests
{
    private static IEnumerable<TestCaseData> CallerArrays()
    {
        yield return Case("float64 from Apache's builder, sliced by 3", () => ApacheBuilders.Array(DoubleType.Default, [1.5, null, 2.5, -0.0, null, 4.0, 8.0], offset: 3));
        yield return Case("int32 from TestArrays, sliced by 5", () => TestArrays.Array(Int32Type.Default, [1, null, 3, 4, 5, null, 7, 8, 9], offset: 5));
        yield return Case("bool from Apache's builder, sliced by 3", () => ApacheBuilders.Array(BooleanType.Default, [true, null, false, true, true, false, null, true, false, true], offset: 3));
        yield return Case("bool from TestArrays, sliced by 13", () => TestArrays.Array(BooleanType.Default, [true, null, false, true, true], offset: 13));
        yield return Case("utf8 from TestArrays, sliced by 1", () => TestArrays.Array(StringType.Default, ["a", null, "", "日本語", "🙂"], offset: 1));
        yield return Case("large utf8 from Apache's builder, sliced by 7", () => ApacheBuilders.Array(LargeStringType.Default, ["x", "yy", null, ""], offset: 7));
        yield return Case("list<int64> from TestArrays, sliced by 2", () => TestArrays.Array(new ListType(Int64Type.Default), [new long[] { 1, 2 }, null, new long[] { }, new long[] { 3 }], offset: 2));
        yield return Case("list<utf8> from Apache's builder, sliced by 3", () => ApacheBuilders.Array(new ListType(StringType.Default), [new[] { "a" }, null, new[] { "b", "c" }], offset: 3));
    }

    private static TestCaseData Case(string name, Func<IArrowArray> array) => new TestCaseData(array).SetArgDisplayNames(name);

    [TestCaseSource(nameof(CallerArrays))]
    public void KernelFrame_CallerArray_ViewUsesThePinnedAddressesOfTheCallersBuffers(Func<IArrowArray> make)
    {
        using var array = make();
        using var output = OutputColumn.Create(Int32Type.Default, array.Length);
        using var frame = new KernelFrame([array], output, new RowErrorSink());

        AssertViewOf(frame.Views[0], array.Data);
    }

    [Test]
    public void Run_CallerWritesItsBufferAfterBinding_KernelReadsTheNewValues()
    {
        Expression<Func<int, int>> twice = x => x * 2;
        var kernel = KernelCompiler.Compile(twice, [Int32Type.Default]);
        using var array = TestArrays.Array(Int32Type.Default, [1, 2, 3, 4, 5, 6, 7, 8, 9], offset: 3);
        using var output = OutputColumn.Create(kernel.OutputType, array.Length);
        using (var frame = new KernelFrame([array], output, new RowErrorSink()))
        {
            Assert.That(MemoryMarshal.TryGetArray(array.Data.Buffers[1].Memory, out var bytes), Is.True, "TestArrays' buffers are managed arrays");
            MemoryMarshal.Cast<byte, int>(bytes.AsSpan())[array.Data.Offset + 4] = 21; // row 4, after the views were made
            kernel.Run(frame, 0, array.Length);
        }

        using var owner = new NativeBlockSet();
        var result = (Int32Array)output.ToArray(owner);
        Assert.That(result.Values.ToArray(), Is.EqualTo(new[] { 2, 4, 6, 8, 42, 12, 14, 16, 18 }));
    }

    [Test]
    public void KernelFrame_ManyRangesOfOneBatch_PinsEachBufferOnceAndUnpinsOnDispose()
    {
        Expression<Func<double?, bool, string, double?>> mix = (x, flag, s) => flag ? x + s.Length : x;
        var kernel = KernelCompiler.Compile(mix, [DoubleType.Default, BooleanType.Default, StringType.Default]);
        var rows = Enumerable.Range(0, 1000).ToArray();
        using var placed = new PlacedArrays();
        IArrowArray[] inputs =
        [
            placed.Place(TestArrays.Array(DoubleType.Default, rows.Select(i => i % 7 == 0 ? null : (object?)(i * 0.5)).ToArray(), offset: 3), Placement.Offset8),
            placed.Place(TestArrays.Array(BooleanType.Default, rows.Select(i => (object?)(i % 3 == 0)).ToArray(), offset: 3, alwaysBitmap: true), Placement.Odd),
            placed.Place(TestArrays.Array(StringType.Default, rows.Select(i => (object?)new string('s', i % 5)).ToArray(), offset: 3), Placement.Aligned64),
        ];
        Assert.That(placed.Memory, Has.Count.EqualTo(7), "each column's validity (the sliced-off rows hold nulls), the values, the strings' offsets and bytes");

        foreach (var batch in new[] { 1, 2 })
        {
            using (var output = OutputColumn.Create(kernel.OutputType, 1000))
            using (var frame = new KernelFrame(inputs, output, new RowErrorSink()))
            {
                Parallel.For(0, 1000 / 64 + 1, r => kernel.Run(frame, r * 64, Math.Min(64, 1000 - r * 64)));
                Assert.That(placed.Memory.Select(m => m.Pins), Is.All.EqualTo(batch), $"batch {batch}: one pin per buffer");
                Assert.That(placed.Memory.Select(m => m.Unpins), Is.All.EqualTo(batch - 1), $"batch {batch}: pins held while the frame lives");
            }

            Assert.That(placed.Memory.Select(m => m.Unpins), Is.All.EqualTo(batch), $"batch {batch}: the frame unpinned every buffer");
        }
    }

    [Test]
    public unsafe void KernelFrame_CallerReleasesNativeMemoryDuringTheRun_MemoryLivesUntilTheFrameIsDisposed()
    {
        Expression<Func<double, double>> negate = x => -x;
        var kernel = KernelCompiler.Compile(negate, [DoubleType.Default]);
        var block = NativeBlock.Allocate(9 * sizeof(double));
        var values = new Span<double>((void*)block.Address, 9);
        for (var i = 0; i < 9; i++) values[i] = i;
        var array = new DoubleArray(new ArrowBuffer(block.Memory[..(9 * sizeof(double))]), ArrowBuffer.Empty, 9, 0, 0);
        using var output = OutputColumn.Create(kernel.OutputType, 9);
        using (var frame = new KernelFrame([array], output, new RowErrorSink()))
        {
            block.Release();
            Assert.That(block.IsFreed, Is.False, "the frame's pin holds the memory");
            kernel.Run(frame, 0, 9);
        }

        Assert.That(block.IsFreed, Is.True, "disposing the frame let the memory go");
        using var owner = new NativeBlockSet();
        Assert.That(((DoubleArray)output.ToArray(owner)).Values.ToArray(), Is.EqualTo(Enumerable.Range(0, 9).Select(i => -(double)i)));
    }

    /// <summary>
    /// A zero-row utf8, large utf8 or list column may come without an offsets buffer (Arrow C++ and other IPC writers
    /// send one for empty arrays; <c>ArrowValidator</c> accepts it): it binds, and a kernel runs over its zero rows.
    /// </summary>
    [TestCase("utf8")]
    [TestCase("large_utf8")]
    [TestCase("list")]
    public void KernelFrame_ZeroRowColumnWithoutOffsetsBuffer_BindsAndRuns(string kind)
    {
        var (type, ir) = kind switch
        {
            "utf8" => ((IArrowType)StringType.Default, (LambdaExpression)(Expression<Func<string, int>>)(s => s.Length)),
            "large_utf8" => (LargeStringType.Default, (Expression<Func<string, int>>)(s => s.Length)),
            _ => (new ListType(Int64Type.Default), (Expression<Func<long[], int>>)(xs => xs.Length)),
        };
        var children = type is ListType ? new[] { new ArrayData(Int64Type.Default, 0, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.Empty]) } : null;
        var buffers = type is ListType ? new[] { ArrowBuffer.Empty, ArrowBuffer.Empty } : [ArrowBuffer.Empty, ArrowBuffer.Empty, ArrowBuffer.Empty];
        using var empty = ArrowArrayFactory.BuildArray(new ArrayData(type, 0, 0, 0, buffers, children));
        Dsl.ArrowExtensions.ArrowValidator.Validate(empty, kind);
        var kernel = KernelCompiler.Compile(ir, [type]);
        using var output = OutputColumn.Create(kernel.OutputType, 0);

        using (var frame = new KernelFrame([empty], output, new RowErrorSink())) kernel.Run(frame, 0, 0);

        using var owner = new NativeBlockSet();
        Assert.That(output.ToArray(owner).Length, Is.Zero);
    }

    /// <summary>
    /// Apache.Arrow's IPC writer keeps a zero-row slice's single offset where the slice began while it writes no data
    /// (or no child values): the batch reads back (validated) and binds, though its offset points past the data.
    /// </summary>
    [TestCase("utf8")]
    [TestCase("list")]
    public void KernelFrame_ZeroRowSliceWrittenByApacheArrowsWriter_ReadsBackAndBinds(string kind)
    {
        var (type, ir, values) = kind == "utf8"
            ? ((IArrowType)StringType.Default, (LambdaExpression)(Expression<Func<string, int>>)(s => s.Length), new object?[] { "aa", "bbb", "cccc", "ddddd" })
            : (new ListType(Int64Type.Default), (Expression<Func<long[], int>>)(xs => xs.Length), [new long[] { 1, 2 }, new long[] { 3 }, new long[] { 4, 5, 6 }, new long[] { 7 }]);
        var full = ApacheBuilders.Array(type, values);
        var read = IpcRoundTrip.Of(ArrowArrayFactory.Slice(full, 3, 0), apacheWriter: true);
        Assert.That(MemoryMarshal.Cast<byte, int>(read.Data.Buffers[1].Span)[read.Data.Offset], Is.GreaterThan(0), "the written offset is where the slice began");
        var kernel = KernelCompiler.Compile(ir, [type]);
        using var output = OutputColumn.Create(kernel.OutputType, 0);

        using (var frame = new KernelFrame([read], output, new RowErrorSink())) kernel.Run(frame, 0, 0);

        using var owner = new NativeBlockSet();
        Assert.That(output.ToArray(owner).Length, Is.Zero);
    }

    /// <summary>Asserts that <paramref name="view"/> addresses the buffers of <paramref name="data"/> themselves.</summary>
    private static unsafe void AssertViewOf(ColumnView view, ArrayData data)
    {
        Assert.That(view.Length, Is.EqualTo(data.Length));
        Assert.That(view.Validity, Is.EqualTo(PinnedAddress(data, 0)), "validity bitmap");
        if (view.Validity != 0) Assert.That(view.ValidityOffset, Is.EqualTo(data.Offset), "validity bit offset");
        switch (view.Layout.Encoding)
        {
            case ColumnEncoding.Bits:
                Assert.That(view.Values, Is.EqualTo(PinnedAddress(data, 1)), "value bitmap");
                Assert.That(view.ValuesBitOffset, Is.EqualTo(data.Offset), "value bit offset");
                break;
            case ColumnEncoding.FixedWidth:
                Assert.That(view.Values, Is.EqualTo(PinnedAddress(data, 1) + data.Offset * ColumnView.SizeOf(view.Layout.StorageType)), "values at row 0");
                break;
            case ColumnEncoding.Utf8:
                Assert.That(view.Offsets, Is.EqualTo(PinnedAddress(data, 1) + data.Offset * sizeof(int)), "offsets at row 0");
                Assert.That(view.Values, Is.EqualTo(PinnedAddress(data, 2)), "UTF-8 bytes");
                break;
            case ColumnEncoding.LargeUtf8:
                Assert.That(view.Offsets, Is.EqualTo(PinnedAddress(data, 1) + data.Offset * sizeof(long)), "offsets at row 0");
                Assert.That(view.Values, Is.EqualTo(PinnedAddress(data, 2)), "UTF-8 bytes");
                break;
            case ColumnEncoding.List:
                Assert.That(view.Offsets, Is.EqualTo(PinnedAddress(data, 1) + data.Offset * sizeof(int)), "offsets at row 0");
                AssertViewOf(view.Child!, data.Children[0]);
                break;
            default:
                Assert.Fail($"no check for {view.Layout}");
                break;
        }
    }

    /// <summary>The address of buffer <paramref name="index"/> as a pin of the caller's memory gives it (0 when absent).</summary>
    private static unsafe nint PinnedAddress(ArrayData data, int index)
    {
        if (data.Buffers[index].IsEmpty) return 0;
        using var handle = data.Buffers[index].Memory.Pin();
        return (nint)handle.Pointer;
    }
}

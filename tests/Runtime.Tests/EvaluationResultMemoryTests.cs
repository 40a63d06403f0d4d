using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Runtime.Tests;

/// <summary>
/// Results own the native memory behind their Apache.Arrow columns: disposing gives it back (large blocks to the pool),
/// reading a disposed result throws instead of reading freed memory, and TakeValues/TakeOutput hand the memory to the
/// garbage collector. Tests that count live native memory run alone.
/// </summary>
[NonParallelizable]
public sealed class EvaluationResultMemoryTests
{
    private static readonly System.Linq.Expressions.Expression<Func<double, double, double>> Scale = (x, k) => x * k + 1;

    private static RecordBatch Batch(int rows)
    {
        var x = new DoubleArray.Builder().AppendRange(Enumerable.Range(0, rows).Select(i => (double)i)).Build();
        var k = new DoubleArray.Builder().AppendRange(Enumerable.Range(0, rows).Select(i => 0.5)).Build();
        return new RecordBatch(new Schema([new Field("x", DoubleType.Default, false), new Field("k", DoubleType.Default, false)], null), [x, k], rows);
    }

    [Test]
    public void Evaluate_AThousandTimes_NativeMemoryDoesNotGrow()
    {
        using var batch = Batch(1_000_000); // 8 MB outputs: pooled huge-page blocks
        var function = FunctionCompiler.Compile(Scale);
        using (function.Evaluate(batch))
        {
        }

        var baseline = NativeBlock.LiveBytes;
        for (var i = 0; i < 1000; i++)
        {
            using var result = function.Evaluate(batch);
            Assert.That(NativeBlock.LiveBytes, Is.LessThanOrEqualTo(baseline + 9L * 1024 * 1024), $"evaluation {i}: one result's blocks at most");
        }

        Assert.That(NativeBlock.LiveBytes, Is.EqualTo(baseline), "every result's memory was given back");
        Assert.That(LargeBlockPool.PooledBytes, Is.LessThanOrEqualTo(LargeBlockPool.MaxPooledBytes));
    }

    [Test]
    public void Values_ReadAfterDispose_ThrowsObjectDisposedInsteadOfReadingFreedMemory()
    {
        using var batch = Batch(100);
        var result = FunctionCompiler.Compile(Scale).Evaluate(batch);
        var values = (DoubleArray)result.Values;
        Assert.That(values.GetValue(3), Is.EqualTo(2.5));

        result.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _ = values.GetValue(3));
    }

    [Test]
    public void TakeValues_KeepsTheColumnAfterDispose_AndTheCollectorFreesItLater()
    {
        using var batch = Batch(1_000_000);
        var function = FunctionCompiler.Compile(Scale);
        // Earlier tests may leave blocks for the finalizer: collect them first, so only this test's column moves the count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = NativeBlock.LiveBytes;

        KeepAndRead(function, batch, before); // in its own method: no local of this one can keep the column alive
        for (var i = 0; i < 10 && NativeBlock.LiveBytes > before; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.That(NativeBlock.LiveBytes, Is.EqualTo(before), "the collector freed the column once nothing referenced it");
    }

    [Test]
    public void TakeOutput_KeepsTheFeatureColumnsAfterDispose()
    {
        using var batch = Batch(1000);
        var plan = FeaturePlan.Create([new PlannedFeature("scaled", FunctionCompiler.Compile(Scale))]);
        RecordBatch output;
        using (var result = plan.Evaluate(batch))
        {
            output = result.TakeOutput();
        }

        Assert.That(((DoubleArray)output.Column(0)).GetValue(10), Is.EqualTo(6.0));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void KeepAndRead(CompiledFunction function, RecordBatch batch, long before)
    {
        IArrowArray kept;
        using (var result = function.Evaluate(batch))
        {
            kept = result.TakeValues();
        }

        Assert.That(NativeBlock.LiveBytes, Is.GreaterThan(before), "the taken column's memory is still alive after the result was disposed");
        Assert.That(((DoubleArray)kept).GetValue(999_999), Is.EqualTo(999_999 * 0.5 + 1));
    }
}

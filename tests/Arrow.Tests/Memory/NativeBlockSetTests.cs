using System.Runtime.CompilerServices;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Memory;

public class NativeBlockSetTests : NativeMemoryFixture
{
    [Test]
    public void Dispose_FreesTheBlocks_AndArraysOverThemThrowObjectDisposed()
    {
        var before = NativeBlock.LiveBytes;
        var owner = new NativeBlockSet();
        var array = Int32Column(owner, [1, 2, 3]);
        Assert.That(array.Values.ToArray(), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(NativeBlock.LiveBytes - before, Is.EqualTo(owner.Bytes));

        owner.Dispose();

        Assert.That(NativeBlock.LiveBytes, Is.EqualTo(before));
        Assert.That(() => array.Values.Length, Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Detach_ThenDispose_ArraysStayReadableAndTheCollectorFreesTheBlocksAfterThem()
    {
        Collector.Settle();
        var before = NativeBlock.LiveBlocks;

        ReadADetachedColumnAfterACollection(before);
        Collector.Settle();

        Assert.That(NativeBlock.LiveBlocks, Is.EqualTo(before), "the block went with the last array");
    }

    [Test]
    public void Add_AfterDispose_FreesTheBlockAtOnce()
    {
        var owner = new NativeBlockSet();
        owner.Dispose();
        var block = NativeBlock.Allocate(64);

        owner.Add(block);

        Assert.That(block.IsFreed, Is.True);
    }

    [Test]
    public void MoveTo_TheOtherSetOwnsTheBlocks()
    {
        using var target = new NativeBlockSet();
        var source = new NativeBlockSet();
        var array = Int32Column(source, [7]);
        var bytes = source.Bytes;

        source.MoveTo(target);
        source.Dispose();

        Assert.That(array.Values[0], Is.EqualTo(7));
        Assert.That(target.Bytes, Is.EqualTo(bytes));
        Assert.That(source.Bytes, Is.Zero);
    }

    [Test]
    public void Dispose_Twice_IsHarmless()
    {
        var owner = new NativeBlockSet();
        Int32Column(owner, [1]);
        owner.Dispose();

        Assert.That(() => owner.Dispose(), Throws.Nothing);
    }

    private static Int32Array Int32Column(NativeBlockSet owner, int[] values)
    {
        var buffer = NativeBuffer.Allocate(values.Length * sizeof(int));
        values.CopyTo(buffer.AsSpan<int>());
        var data = new ArrayData(Int32Type.Default, values.Length, 0, 0, [ArrowBuffer.Empty, buffer.Seal(buffer.Length, owner)]);
        return new Int32Array(data);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReadADetachedColumnAfterACollection(long blocksBefore)
    {
        var array = DetachedColumn([4, 5, 6]);
        Collector.Settle();

        Assert.That(array.Values.ToArray(), Is.EqualTo(new[] { 4, 5, 6 }));
        Assert.That(NativeBlock.LiveBlocks, Is.EqualTo(blocksBefore + 1), "the array keeps its block alive");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Int32Array DetachedColumn(int[] values)
    {
        using var owner = new NativeBlockSet();
        var array = Int32Column(owner, values);
        owner.Detach();
        return array;
    }
}

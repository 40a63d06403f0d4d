using System.Buffers;
using System.Runtime.CompilerServices;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Memory;

/// <summary>The lifetime contract of <see cref="NativeRegion"/>, through its simplest kind, <see cref="NativeBlock"/>.</summary>
public class NativeRegionTests : NativeMemoryFixture
{
    [Test]
    public void Release_ThenAnyAccess_ThrowsObjectDisposedInsteadOfReadingFreedMemory()
    {
        var block = NativeBlock.Allocate(64);
        var buffer = new ArrowBuffer(block.Memory);

        block.Release();

        Assert.That(block.IsFreed, Is.True);
        Assert.That(() => block.GetSpan(), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => block.Pin(), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => block.Address, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => buffer.Span.Length, Throws.TypeOf<ObjectDisposedException>().With.Message.Contains("released"));
    }

    [Test]
    public unsafe void Pin_HeldAcrossRelease_KeepsTheMemoryUntilTheHandleGoes()
    {
        var before = NativeBlock.LiveBytes;
        var block = NativeBlock.Allocate(64);
        var handle = block.Memory.Pin();

        block.Release();

        Assert.That(block.IsFreed, Is.False);
        ((byte*)handle.Pointer)[63] = 42;
        Assert.That(((byte*)handle.Pointer)[63], Is.EqualTo(42));
        Assert.That(NativeBlock.LiveBytes - before, Is.EqualTo(block.Capacity));
        handle.Dispose();
        Assert.That(block.IsFreed, Is.True);
        Assert.That(NativeBlock.LiveBytes, Is.EqualTo(before));
    }

    [Test]
    public void Pin_SeveralHandles_FreedAfterTheLast()
    {
        var block = NativeBlock.Allocate(64);
        var first = block.Pin();
        var second = block.Pin(10);
        block.Release();

        first.Dispose();
        Assert.That(block.IsFreed, Is.False);
        second.Dispose();
        Assert.That(block.IsFreed, Is.True);
    }

    [Test]
    public void Pin_IndexPastTheEnd_Throws()
    {
        using var block = NativeBlock.Allocate(64);

        Assert.That(() => block.Pin(65), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Release_Twice_FreesOnce()
    {
        var before = NativeBlock.LiveBytes;
        var block = NativeBlock.Allocate(64);
        block.Release();
        block.Release();
        ((IDisposable)block).Dispose();

        Assert.That(NativeBlock.LiveBytes, Is.EqualTo(before));
    }

    [Test]
    public void Finalizer_UnreleasedRegionNobodyReferences_Freed()
    {
        Collector.Settle();
        var before = NativeBlock.LiveBlocks;
        AllocateAndForget();

        Collector.Settle();

        Assert.That(NativeBlock.LiveBlocks, Is.EqualTo(before));
    }

    [Test]
    public void Finalizer_RegionReferencedByAnArrowBuffer_KeptWhileTheBufferIsReachable()
    {
        Collector.Settle();
        var before = NativeBlock.LiveBlocks;
        var buffer = BufferOverAnUnreleasedBlock();

        Collector.Settle();

        Assert.That(NativeBlock.LiveBlocks, Is.EqualTo(before + 1), "the buffer's Memory keeps the region reachable");
        Assert.That(buffer.Span[7], Is.EqualTo(7));
        GC.KeepAlive(buffer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateAndForget() => NativeBlock.Allocate(64).GetSpan().Fill(1);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArrowBuffer BufferOverAnUnreleasedBlock()
    {
        var block = NativeBlock.Allocate(64);
        for (var i = 0; i < 64; i++) block.GetSpan()[i] = (byte)i;
        return new ArrowBuffer(block.Memory[..16]);
    }
}

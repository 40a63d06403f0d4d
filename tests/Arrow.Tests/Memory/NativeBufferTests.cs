using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Memory;

public class NativeBufferTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(1000)]
    public void Allocate_AnyLength_Is64ByteAlignedAndZeroPadded(int length)
    {
        using var buffer = NativeBuffer.Allocate(length, zeroFill: false);

        Assert.That((long)buffer.Address % 64, Is.EqualTo(0L));
        Assert.That(buffer.Length, Is.EqualTo(length));
        var padded = NativeMemoryOwner.PaddedLength(length);
        Assert.That(padded % 64, Is.EqualTo(0));
        unsafe
        {
            var padding = new ReadOnlySpan<byte>((byte*)buffer.Address + length, (int)(padded - length));
            Assert.That(padding.ContainsAnyExcept((byte)0), Is.False);
        }
    }

    [Test]
    public void Allocate_FourMebibytesOrMore_IsHugePageAlignedAndZeroPadded()
    {
        const int length = (4 << 20) + 3;
        using var buffer = NativeBuffer.Allocate(length, zeroFill: false);

        Assert.That((long)buffer.Address % (OperatingSystem.IsLinux() ? HugePages.PageSize : NativeMemoryOwner.Alignment), Is.EqualTo(0L));
        unsafe
        {
            var padding = new ReadOnlySpan<byte>((byte*)buffer.Address + length, (int)(NativeMemoryOwner.PaddedLength(length) - length));
            Assert.That(padding.ContainsAnyExcept((byte)0), Is.False);
        }
    }

    [Test]
    public void Allocate_AfterALargeBufferOfTheSameSizeIsFreed_ReusesItAndKeepsTheZeroContract()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Large blocks are pooled where huge pages apply (Linux).");
        const int length = (13 << 20) + 5; // a size no other test uses
        nint first;
        using (var dirty = NativeBuffer.Allocate(length, zeroFill: false))
        {
            first = dirty.Address;
            unsafe
            {
                new Span<byte>((byte*)dirty.Address, (int)NativeMemoryOwner.PaddedLength(length)).Fill(0xAB);
            }
        }

        using (var reusedUncleared = NativeBuffer.Allocate(length, zeroFill: false))
        {
            Assert.That(reusedUncleared.Address, Is.EqualTo(first));
            unsafe
            {
                var padding = new ReadOnlySpan<byte>((byte*)reusedUncleared.Address + length, (int)(NativeMemoryOwner.PaddedLength(length) - length));
                Assert.That(padding.ContainsAnyExcept((byte)0), Is.False, "the padding is zero on a reused block too");
            }
        }

        using var reusedZeroed = NativeBuffer.Allocate(length);
        Assert.That(reusedZeroed.Address, Is.EqualTo(first));
        Assert.That(reusedZeroed.Span.ContainsAnyExcept((byte)0), Is.False);
    }

    [Test]
    public void LargeBlockPool_Full_GivesTheBlockBack()
    {
        Assert.That(LargeBlockPool.TryReturn(1, LargeBlockPool.MaxPooledBytes + 1), Is.False);
    }

    [Test]
    public void Allocate_ZeroFill_StartsWithZeros()
    {
        using var buffer = NativeBuffer.Allocate(100);
        Assert.That(buffer.Span.ContainsAnyExcept((byte)0), Is.False);
    }

    [Test]
    public void Allocate_Negative_Throws() =>
        Assert.That(() => NativeBuffer.Allocate(-1), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void AsSpan_WritesAreVisibleInTheArrowBufferWithoutCopy()
    {
        using var buffer = NativeBuffer.Allocate(3 * sizeof(long));
        buffer.AsSpan<long>()[1] = 42;

        var view = buffer.ToArrowBuffer();

        Assert.That(view.Address, Is.EqualTo(buffer.Address));
        Assert.That(BitConverter.ToInt64(view.Span[8..16]), Is.EqualTo(42));
    }

    [Test]
    public void Dispose_Twice_IsHarmless()
    {
        var buffer = NativeBuffer.Allocate(8);
        buffer.Dispose();
        Assert.That(() => buffer.Dispose(), Throws.Nothing);
    }

    [Test]
    public void Span_AfterDispose_ThrowsObjectDisposed()
    {
        var buffer = NativeBuffer.Allocate(8);
        buffer.Dispose();
        Assert.That(() => buffer.Span.Length, Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Memory_ReferencedByArrayData_OutlivesTheNativeBuffer()
    {
        var before = NativeMemoryOwner.LiveAllocations;
        ArrayData data;
        using (var values = NativeBuffer.FromValues<int>([1, 2, 3]))
        {
            data = new ArrayData(Int32Type.Default, 3, 0, 0, [ArrowBuffer.Empty, values.ToArrowBuffer()]);
        }

        using (var array = new Int32Array(data))
        {
            Assert.That(array.Values.ToArray(), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(NativeMemoryOwner.LiveAllocations, Is.EqualTo(before + 1));
        }

        Assert.That(NativeMemoryOwner.LiveAllocations, Is.EqualTo(before));
    }
}

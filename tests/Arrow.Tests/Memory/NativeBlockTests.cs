using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Memory;

public class NativeBlockTests : NativeMemoryFixture
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(1000)]
    public void Allocate_AnyLength_Is64ByteAlignedAndZeroPaddedToAMultipleOf64(int length)
    {
        using var block = NativeBlock.Allocate(length, zeroFill: false);

        Assert.That((long)block.Address % NativeBlock.Alignment, Is.Zero);
        Assert.That(block.Capacity, Is.EqualTo(NativeBlock.PaddedLength(length)));
        Assert.That(block.Capacity % NativeBlock.Alignment, Is.Zero);
        Assert.That(block.Capacity, Is.GreaterThanOrEqualTo(Math.Max(length, NativeBlock.Alignment)));
        Assert.That(block.Length, Is.EqualTo(block.Capacity), "the region is the whole padded capacity");
        Assert.That(block.GetSpan()[length..].ContainsAnyExcept((byte)0), Is.False, "the padding is zero");
    }

    [Test]
    public void Allocate_ZeroFill_EveryByteZero()
    {
        using var block = NativeBlock.Allocate(1000);

        Assert.That(block.GetSpan().ContainsAnyExcept((byte)0), Is.False);
    }

    [Test]
    public void Allocate_Negative_Throws() =>
        Assert.That(() => NativeBlock.Allocate(-1), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Allocate_LargerThanAnArrowBuffer_OutOfMemoryNamingTheSize() =>
        Assert.That(() => NativeBlock.Allocate(int.MaxValue + 1L), Throws.TypeOf<OutOfMemoryException>().With.Message.Contains("2147483648"));

    [Test]
    public void Allocate_FourMebibytesOrMore_IsHugePageAlignedAndZeroPadded()
    {
        const int length = (4 << 20) + 3;
        using var block = NativeBlock.Allocate(length, zeroFill: false);

        Assert.That((long)block.Address % (OperatingSystem.IsLinux() ? HugePages.PageSize : NativeBlock.Alignment), Is.Zero);
        Assert.That(block.GetSpan()[length..].ContainsAnyExcept((byte)0), Is.False);
    }

    [Test]
    public void LiveBytes_AllocateAndRelease_CountsTheCapacity()
    {
        var before = NativeBlock.LiveBytes;
        var block = NativeBlock.Allocate(100);

        Assert.That(NativeBlock.LiveBytes - before, Is.EqualTo(block.Capacity));
        block.Release();
        Assert.That(NativeBlock.LiveBytes, Is.EqualTo(before));
    }

    [Test]
    public void Allocate_AfterALargeBlockOfTheSameSizeIsFreed_ReusesItAndKeepsTheZeroContract()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Large blocks are pooled where huge pages apply (Linux).");
        const int length = (13 << 20) + 5; // a size no other test uses
        nint first;
        using (var dirty = NativeBlock.Allocate(length, zeroFill: false))
        {
            first = dirty.Address;
            dirty.GetSpan().Fill(0xAB);
        }

        Assert.That(LargeBlockPool.PooledBytes, Is.GreaterThanOrEqualTo(NativeBlock.PaddedLength(length)), "the freed block went to the pool");
        using (var reusedUncleared = NativeBlock.Allocate(length, zeroFill: false))
        {
            Assert.That(reusedUncleared.Address, Is.EqualTo(first));
            Assert.That(reusedUncleared.GetSpan()[length..].ContainsAnyExcept((byte)0), Is.False, "the padding is zero on a reused block too");
            reusedUncleared.GetSpan().Fill(0xCD);
        }

        using var reusedZeroed = NativeBlock.Allocate(length);
        Assert.That(reusedZeroed.Address, Is.EqualTo(first));
        Assert.That(reusedZeroed.GetSpan().ContainsAnyExcept((byte)0), Is.False, "zeroFill clears a reused block entirely");
    }

    [Test]
    public void Allocate_SmallBlocks_NeverPooled()
    {
        var pooled = LargeBlockPool.PooledBytes;
        NativeBlock.Allocate(1 << 20).Release();

        Assert.That(LargeBlockPool.PooledBytes, Is.EqualTo(pooled));
    }

    [Test]
    public void LargeBlockPool_Full_GivesTheBlockBack() =>
        Assert.That(LargeBlockPool.TryReturn(1, LargeBlockPool.MaxPooledBytes + 1), Is.False);

    [Test]
    public void LargeBlockPool_NoBlockOfThatCapacity_RentFails() =>
        Assert.That(LargeBlockPool.TryRent((7L << 20) + 64, out _), Is.False);
}

using System.Runtime.InteropServices;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Memory;

public class NativeBufferTests : NativeMemoryFixture
{
    [Test]
    public void Allocate_ZeroFill_UsableBytesAreZero()
    {
        using var buffer = NativeBuffer.Allocate(100);

        Assert.That(buffer.Length, Is.EqualTo(100));
        Assert.That(buffer.Span.ContainsAnyExcept((byte)0), Is.False);
        Assert.That((long)buffer.Address % NativeBlock.Alignment, Is.Zero);
    }

    [Test]
    public void Resize_Grow_KeepsContentsAndTheNewBytesAreZero()
    {
        using var buffer = NativeBuffer.Allocate(10);
        buffer.Span.Fill(7);

        buffer.Resize(1000);

        Assert.That(buffer.Length, Is.EqualTo(1000));
        Assert.That(buffer.Span[..10].ToArray(), Is.All.EqualTo(7));
        Assert.That(buffer.Span[10..].ContainsAnyExcept((byte)0), Is.False);
    }

    [Test]
    public void Resize_ShrinkThenGrow_TheDroppedBytesComeBackZero()
    {
        using var buffer = NativeBuffer.Allocate(40);
        buffer.Span.Fill(9);

        buffer.Resize(8);
        buffer.Resize(40);

        Assert.That(buffer.Span[..8].ToArray(), Is.All.EqualTo(9));
        Assert.That(buffer.Span[8..].ContainsAnyExcept((byte)0), Is.False);
    }

    [Test]
    public void EnsureCapacity_Grows_AtLeastDoubling()
    {
        using var buffer = NativeBuffer.Allocate(64);

        buffer.EnsureCapacity(65);

        Assert.That(buffer.Capacity, Is.GreaterThanOrEqualTo(128));
        Assert.That(buffer.Length, Is.EqualTo(64));
    }

    [Test]
    public void AsSpan_TypedWrites_VisibleInTheSealedArrowBufferWithoutACopy()
    {
        using var owner = new NativeBlockSet();
        var buffer = NativeBuffer.Allocate(3 * sizeof(long));
        var address = buffer.Address;
        buffer.AsSpan<long>()[1] = 42;

        var sealedBuffer = buffer.Seal(buffer.Length, owner);

        Assert.That(sealedBuffer.Length, Is.EqualTo(24));
        Assert.That(MemoryMarshal.Cast<byte, long>(sealedBuffer.Span)[1], Is.EqualTo(42));
        unsafe
        {
            fixed (byte* pointer = sealedBuffer.Span)
            {
                Assert.That((nint)pointer, Is.EqualTo(address));
            }
        }
    }

    [Test]
    public void Seal_ThenTheBuffer_IsNoLongerUsableAndItsDisposeFreesNothing()
    {
        using var owner = new NativeBlockSet();
        var buffer = NativeBuffer.Allocate(16);
        var sealedBuffer = buffer.Seal(16, owner);

        buffer.Dispose();

        Assert.That(() => buffer.Span.Length, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => buffer.Length, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(sealedBuffer.Span.Length, Is.EqualTo(16), "the owner, not the buffer, frees the block");
    }

    [Test]
    public void Seal_LongerThanTheCapacity_Throws()
    {
        using var owner = new NativeBlockSet();
        using var buffer = NativeBuffer.Allocate(16);

        Assert.That(() => buffer.Seal(buffer.Capacity + 1, owner), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Dispose_Twice_FreesOnce()
    {
        var before = NativeBlock.LiveBytes;
        var buffer = NativeBuffer.Allocate(8);
        buffer.Dispose();
        buffer.Dispose();

        Assert.That(NativeBlock.LiveBytes, Is.EqualTo(before));
        Assert.That(() => buffer.Span.Length, Throws.TypeOf<ObjectDisposedException>());
    }
}

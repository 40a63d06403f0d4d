using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Tests.Memory;

public class ArrowBufferTests
{
    [Test]
    public void Empty_HasNoAddressAndAnEmptySpan()
    {
        Assert.That(ArrowBuffer.Empty.Address, Is.EqualTo((nint)0));
        Assert.That(ArrowBuffer.Empty.IsEmpty, Is.True);
        Assert.That(ArrowBuffer.Empty.Span.Length, Is.EqualTo(0));
    }

    [Test]
    public void Slice_SharesMemoryAtTheOffset()
    {
        using var native = NativeBuffer.FromBytes([1, 2, 3, 4, 5]);
        var slice = native.ToArrowBuffer().Slice(1, 3);

        Assert.That(slice.Address, Is.EqualTo(native.Address + 1));
        Assert.That(slice.Span.ToArray(), Is.EqualTo(new byte[] { 2, 3, 4 }));
        Assert.That(slice.Slice(2).Span.ToArray(), Is.EqualTo(new byte[] { 4 }));
    }

    [TestCase(-1, 1)]
    [TestCase(0, 6)]
    [TestCase(5, 1)]
    [TestCase(6, 0)]
    [TestCase(2, -1)]
    public void Slice_OutsideTheBuffer_Throws(long offset, long length)
    {
        using var native = NativeBuffer.FromBytes([1, 2, 3, 4, 5]);
        var view = native.ToArrowBuffer();
        Assert.That(() => view.Slice(offset, length), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Constructor_RangeOutsideOwner_Throws()
    {
        using var native = NativeBuffer.Allocate(10);
        var owner = native.ToArrowBuffer().Owner!;
        Assert.That(() => new ArrowBuffer(owner, owner.Address + 60, 10), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ArrowBuffer(owner, owner.Address - 1, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Span_AfterLastReleaseOfTheOwner_ThrowsObjectDisposed()
    {
        var native = NativeBuffer.Allocate(10);
        var view = native.ToArrowBuffer();
        native.Dispose();
        Assert.That(() => view.Span.Length, Throws.TypeOf<ObjectDisposedException>());
    }
}

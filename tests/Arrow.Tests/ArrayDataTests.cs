using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests;

public class ArrayDataTests
{
    [Test]
    public void NullCount_Unknown_IsCountedFromTheBitmapAtTheOffset()
    {
        using var values = NativeBuffer.Allocate(16 * sizeof(int));
        using var validity = NativeBuffer.FromBytes([0b1111_0110, 0b0000_0001]);
        using var data = new ArrayData(Int32Type.Default, 8, ArrayData.UnknownNullCount, 1, [validity.ToArrowBuffer(), values.ToArrowBuffer()]);

        // Bits 1..8: 1,1,0,1,1,1,1,1 -> one null.
        Assert.That(data.NullCount, Is.EqualTo(1));
    }

    [Test]
    public void NullCount_NoBitmap_IsZero()
    {
        using var values = NativeBuffer.Allocate(4 * sizeof(int));
        using var data = new ArrayData(Int32Type.Default, 4, buffers: [ArrowBuffer.Empty, values.ToArrowBuffer()]);
        Assert.That(data.NullCount, Is.EqualTo(0));
    }

    [Test]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.That(() => new ArrayData(Int32Type.Default, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ArrayData(Int32Type.Default, 1, offset: -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ArrayData(Int32Type.Default, 1, nullCount: 2), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ArrayData(Int32Type.Default, 1, nullCount: -2), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ArrayData(Int32Type.Default, int.MaxValue, offset: 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Slice_SharesBuffersAndTakesItsOwnReference()
    {
        using var values = NativeBuffer.Allocate(4 * sizeof(int));
        var owner = values.ToArrowBuffer().Owner!;
        using var data = new ArrayData(Int32Type.Default, 4, 0, 0, [ArrowBuffer.Empty, values.ToArrowBuffer()]);
        Assert.That(owner.ReferenceCount, Is.EqualTo(2));

        using (var slice = data.Slice(1, 2))
        {
            Assert.That(slice.Offset, Is.EqualTo(1));
            Assert.That(slice.Buffers[1].Address, Is.EqualTo(data.Buffers[1].Address));
            Assert.That(slice.NullCount, Is.EqualTo(0));
            Assert.That(owner.ReferenceCount, Is.EqualTo(3));
        }

        Assert.That(owner.ReferenceCount, Is.EqualTo(2));
    }

    [Test]
    public void Dispose_ReleasesChildrenAndDictionary()
    {
        using var values = NativeBuffer.Allocate(4 * sizeof(int));
        var child = new ArrayData(Int32Type.Default, 4, 0, 0, [ArrowBuffer.Empty, values.ToArrowBuffer()]);
        var dictionary = new ArrayData(Int32Type.Default, 4, 0, 0, [ArrowBuffer.Empty, values.ToArrowBuffer()]);
        var type = new StructType([new Field("x", Int32Type.Default, true)]);
        var parent = new ArrayData(type, 4, 0, 0, [ArrowBuffer.Empty], [child], dictionary);

        parent.Dispose();
        parent.Dispose();

        Assert.That(child.IsDisposed, Is.True);
        Assert.That(dictionary.IsDisposed, Is.True);
        Assert.That(values.ToArrowBuffer().Owner!.ReferenceCount, Is.EqualTo(1));
    }

    [Test]
    public void Slice_OfDisposed_ThrowsObjectDisposed()
    {
        var data = new ArrayData(Int32Type.Default, 0);
        data.Dispose();
        Assert.That(() => data.Slice(0, 0), Throws.TypeOf<ObjectDisposedException>());
    }
}

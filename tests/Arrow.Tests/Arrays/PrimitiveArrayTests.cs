using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;
using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace Dsl.Arrow.Tests.Arrays;

public class PrimitiveArrayTests
{
    private static readonly int[] s_lengths = [0, 1, 3, 4, 5, 7, 8, 9, 31, 33, 1000];

    private static double? ValueAt(int i) => i % 3 == 1 ? null : i * 1.5;

    private static DoubleArray BuildDoubles(int length)
    {
        var builder = new DoubleArray.Builder();
        for (var i = 0; i < length; i++)
        {
            builder.Append(ValueAt(i));
        }

        return builder.Build();
    }

    [TestCaseSource(nameof(s_lengths))]
    public void Build_WithNulls_ReadsBackValuesAndNulls(int length)
    {
        using var array = BuildDoubles(length);

        Assert.That(array.Length, Is.EqualTo(length));
        Assert.That(array.NullCount, Is.EqualTo(Enumerable.Range(0, length).Count(i => ValueAt(i) is null)));
        for (var i = 0; i < length; i++)
        {
            Assert.That(array.GetValue(i), Is.EqualTo(ValueAt(i)), $"row {i}");
            Assert.That(array.IsNull(i), Is.EqualTo(ValueAt(i) is null), $"row {i}");
        }
    }

    [TestCaseSource(nameof(s_lengths))]
    public void Slice_OddOffsets_ReadsTheSubRange(int length)
    {
        using var array = BuildDoubles(length);
        foreach (var offset in new[] { 0, 1, 3, 5, 7 }.Where(o => o <= length))
        {
            var sliceLength = (length - offset) / 2 + ((length - offset) % 2);
            using var slice = (DoubleArray)array.Slice(offset, sliceLength);

            Assert.That(slice.Offset, Is.EqualTo(offset));
            Assert.That(slice.Length, Is.EqualTo(sliceLength));
            Assert.That(slice.ToArray(), Is.EqualTo(array.ToArray().Skip(offset).Take(sliceLength).ToArray()));
            Assert.That(slice.NullCount, Is.EqualTo(slice.ToArray().Count(v => v is null)));
            unsafe
            {
                Assert.That(slice.ValuesAddress, Is.EqualTo(array.ValuesAddress + offset * sizeof(double)));
            }
        }
    }

    [Test]
    public void Values_StartAtLogicalRowZero()
    {
        using var array = new Int32Array.Builder().AppendRange([10, 11, 12, 13, 14]).Build();
        using var slice = ArrowArrayFactory.Slice(array, 2, 2);

        Assert.That(slice.Values.ToArray(), Is.EqualTo(new[] { 12, 13 }));
    }

    [Test]
    public void Build_WithoutNulls_HasNoValidityBitmap()
    {
        using var array = new Int64Array.Builder().AppendRange([1L, 2L, 3L]).Build();

        Assert.That(array.NullCount, Is.EqualTo(0));
        Assert.That(array.ValidityBitmap.IsEmpty, Is.True);
        Assert.That(array.ValidityAddress, Is.EqualTo((nint)0));
        Assert.That(array.IsValid(2), Is.True);
    }

    [Test]
    public void Build_WithNulls_BitmapIsLsbFirst()
    {
        using var array = new Int8Array.Builder().Append(1).AppendNull().Append(3).AppendNull().Build();

        Assert.That(array.ValidityBitmap[0], Is.EqualTo(0b0101));
        Assert.That(array.ValidityAddress, Is.Not.EqualTo((nint)0));
        Assert.That(array.Values.ToArray(), Is.EqualTo(new sbyte[] { 1, 0, 3, 0 }));
    }

    [Test]
    public void Builder_AfterBuild_IsEmptyAndReusable()
    {
        var builder = new UInt16Array.Builder().Reserve(10).Append(1).Append(2);
        using var first = builder.Build();
        using var second = builder.Append(7).Build();

        Assert.That(first.ToArray(), Is.EqualTo(new ushort?[] { 1, 2 }));
        Assert.That(second.ToArray(), Is.EqualTo(new ushort?[] { 7 }));
    }

    [Test]
    public void Builder_ManyValues_GrowsAndKeepsEveryValue()
    {
        var builder = new UInt64Array.Builder();
        for (ulong i = 0; i < 10_000; i++)
        {
            builder.Append(i * 3);
        }

        using var array = builder.Build();

        Assert.That(array.Values.ToArray(), Is.EqualTo(Enumerable.Range(0, 10_000).Select(i => (ulong)i * 3).ToArray()));
    }

    [Test]
    public void EveryPrimitiveBuilder_RoundTripsValuesAndNulls()
    {
        AssertRoundTrip(new Int8Array.Builder(), new sbyte?[] { sbyte.MinValue, null, sbyte.MaxValue }, a => a.ToArray());
        AssertRoundTrip(new Int16Array.Builder(), new short?[] { short.MinValue, null, short.MaxValue }, a => a.ToArray());
        AssertRoundTrip(new Int32Array.Builder(), new int?[] { int.MinValue, null, int.MaxValue }, a => a.ToArray());
        AssertRoundTrip(new Int64Array.Builder(), new long?[] { long.MinValue, null, long.MaxValue }, a => a.ToArray());
        AssertRoundTrip(new UInt8Array.Builder(), new byte?[] { 0, null, byte.MaxValue }, a => a.ToArray());
        AssertRoundTrip(new UInt16Array.Builder(), new ushort?[] { 0, null, ushort.MaxValue }, a => a.ToArray());
        AssertRoundTrip(new UInt32Array.Builder(), new uint?[] { 0, null, uint.MaxValue }, a => a.ToArray());
        AssertRoundTrip(new UInt64Array.Builder(), new ulong?[] { 0, null, ulong.MaxValue }, a => a.ToArray());
        AssertRoundTrip(new FloatArray.Builder(), new float?[] { float.NaN, null, -0f, float.NegativeInfinity }, a => a.ToArray());
        AssertRoundTrip(new DoubleArray.Builder(), new double?[] { double.NaN, null, -0.0, double.Epsilon }, a => a.ToArray());
    }

    [Test]
    public void Constructor_WrongType_Throws()
    {
        using var values = NativeBuffer.FromValues<int>([1]);
        using var data = new ArrayData(Int32Type.Default, 1, 0, 0, [ArrowBuffer.Empty, values.ToArrowBuffer()]);
        Assert.That(() => new Int64Array(data), Throws.ArgumentException.With.Message.Contains("Int64"));
    }

    [Test]
    public void Constructor_ValuesBufferTooSmall_ThrowsNamingTheBuffer()
    {
        using var values = NativeBuffer.FromValues<int>([1, 2]);
        using var data = new ArrayData(Int32Type.Default, 2, 0, 1, [ArrowBuffer.Empty, values.ToArrowBuffer()]);
        Assert.That(() => new Int32Array(data), Throws.ArgumentException.With.Message.Contains("values buffer"));
    }

    [Test]
    public void Constructor_ValidityBufferTooSmall_Throws()
    {
        using var values = NativeBuffer.FromValues<int>(new int[9]);
        using var validity = NativeBuffer.FromBytes([0xFF]);
        using var data = new ArrayData(Int32Type.Default, 9, -1, 0, [validity.ToArrowBuffer(), values.ToArrowBuffer()]);
        Assert.That(() => new Int32Array(data), Throws.ArgumentException.With.Message.Contains("validity bitmap"));
    }

    [TestCase(-1)]
    [TestCase(3)]
    public void GetValue_IndexOutOfRange_Throws(int index)
    {
        using var array = new Int32Array.Builder().AppendRange([1, 2, 3]).Build();
        Assert.That(() => array.GetValue(index), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => array.IsNull(index), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase(-1, 1)]
    [TestCase(0, 4)]
    [TestCase(4, 0)]
    [TestCase(1, -1)]
    public void Slice_OutOfRange_Throws(int offset, int length)
    {
        using var array = new Int32Array.Builder().AppendRange([1, 2, 3]).Build();
        Assert.That(() => array.Slice(offset, length), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Slice_OutlivesDisposedParent()
    {
        var before = NativeMemoryOwner.LiveAllocations;
        var parent = new Int32Array.Builder().AppendRange([1, 2, 3, 4]).AppendNull().Build();
        var slice = (Int32Array)parent.Slice(1, 4);
        parent.Dispose();

        Assert.That(slice.ToArray(), Is.EqualTo(new int?[] { 2, 3, 4, null }));
        slice.Dispose();
        Assert.That(NativeMemoryOwner.LiveAllocations, Is.EqualTo(before));
    }

    [Test]
    public void Accessors_AfterDispose_ThrowObjectDisposed()
    {
        var array = new DoubleArray.Builder().Append(1).AppendNull().Build();
        array.Dispose();

        Assert.That(() => array.Dispose(), Throws.Nothing);
        Assert.That(() => array.Values.Length, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => array.GetValue(0), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => array.ValidityBitmap.Length, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => array.Slice(0, 1), Throws.TypeOf<ObjectDisposedException>());
    }

    [FsCheckProperty(MaxTest = 200)]
    public bool Build_RandomNullableValues_ReadsBackEqual(long?[] values)
    {
        using var array = new Int64Array.Builder().AppendRange(values).Build();
        return array.ToArray().SequenceEqual(values) && array.NullCount == values.Count(v => v is null);
    }

    [FsCheckProperty(MaxTest = 200)]
    public bool Slice_RandomRange_EqualsSubRange(double?[] values, int a, int b)
    {
        using var array = new DoubleArray.Builder().AppendRange(values).Build();
        var offset = values.Length == 0 ? 0 : Math.Abs(a % (values.Length + 1));
        var length = Math.Abs(b % (values.Length - offset + 1));
        using var slice = (DoubleArray)array.Slice(offset, length);
        var expected = values.Skip(offset).Take(length).ToArray();
        return slice.ToArray().SequenceEqual(expected) && slice.NullCount == expected.Count(v => v is null);
    }

    private static void AssertRoundTrip<T, TArray, TBuilder>(
        PrimitiveArrayBuilder<T, TArray, TBuilder> builder, T?[] values, Func<TArray, T?[]> read)
        where T : unmanaged
        where TArray : PrimitiveArray<T>
        where TBuilder : PrimitiveArrayBuilder<T, TArray, TBuilder>
    {
        using var array = builder.AppendRange(values).Build();
        Assert.That(read(array), Is.EqualTo(values), typeof(TArray).Name);
        Assert.That(array.NullCount, Is.EqualTo(values.Count(v => v is null)), typeof(TArray).Name);
    }
}

using System.Text;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;
using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace Dsl.Arrow.Tests.Arrays;

public class StringArrayTests
{
    private static readonly string?[] s_values = ["", "a", null, "héllo", "日本語", "🙂", null, "last"];

    private static readonly int[] s_lengths = [0, 1, 3, 4, 5, 7, 8, 9, 31, 33, 1000];

    [TestCaseSource(nameof(s_lengths))]
    public void BuildAndSlice_SimdRelevantLengths_ReadBackEqual(int length)
    {
        var values = Enumerable.Range(0, length).Select(i => i % 4 == 3 ? null : new string('é', i % 5)).ToArray();
        using var array = new StringArray.Builder().AppendRange(values).Build();
        var offset = Math.Min(3, length);
        using var slice = (StringArray)array.Slice(offset, length - offset);

        Assert.That(array.ToArray(), Is.EqualTo(values));
        Assert.That(slice.ToArray(), Is.EqualTo(values.Skip(offset).ToArray()));
        Assert.That(slice.NullCount, Is.EqualTo(values.Skip(offset).Count(v => v is null)));
        Assert.That(slice.ValueOffsets.Length, Is.EqualTo(length - offset + 1));
    }

    [Test]
    public void Build_MixedStrings_ReadsBackEqual()
    {
        using var array = new StringArray.Builder().AppendRange(s_values).Build();

        Assert.That(array.ToArray(), Is.EqualTo(s_values));
        Assert.That(array.NullCount, Is.EqualTo(2));
        Assert.That(array.ValueOffsets.Length, Is.EqualTo(s_values.Length + 1));
        Assert.That(array.ValueOffsets[0], Is.EqualTo(0));
        Assert.That(Encoding.UTF8.GetString(array.GetBytes(3)), Is.EqualTo("héllo"));
        Assert.That(array.GetBytes(2).IsEmpty, Is.True);
    }

    [Test]
    public void Slice_OddOffset_OffsetsStartAtLogicalRowZero()
    {
        using var array = new StringArray.Builder().AppendRange(s_values).Build();
        using var slice = (StringArray)array.Slice(3, 3);

        Assert.That(slice.ToArray(), Is.EqualTo(new[] { "héllo", "日本語", "🙂" }));
        Assert.That(slice.ValueOffsets.Length, Is.EqualTo(4));
        Assert.That(slice.ValueOffsets[0], Is.EqualTo(array.ValueOffsets[3]));
        Assert.That(slice.ValueBytes.Length, Is.EqualTo(array.ValueBytes.Length), "the data buffer is shared whole");
    }

    [Test]
    public void Build_Empty_HasOneOffset()
    {
        using var array = new StringArray.Builder().Build();

        Assert.That(array.Length, Is.EqualTo(0));
        Assert.That(array.ValueOffsets.ToArray(), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Constructor_ZeroLengthWithoutOffsetsBuffer_ReadsAsOneZeroOffset()
    {
        using var data = new ArrayData(StringType.Default, 0, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.Empty, ArrowBuffer.Empty]);
        using var array = new StringArray(data);

        Assert.That(array.ValueOffsets.ToArray(), Is.EqualTo(new[] { 0 }));
        Assert.That(array.ValueOffsetsAddress, Is.EqualTo((nint)0));
    }

    [Test]
    public void GetBytes_OffsetsOutsideData_ThrowsFormatError()
    {
        using var offsets = NativeBuffer.FromValues<int>([0, 2, 50]);
        using var bytes = NativeBuffer.FromBytes("abcd"u8);
        using var data = new ArrayData(StringType.Default, 2, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer(), bytes.ToArrowBuffer()]);
        using var array = new StringArray(data);

        Assert.That(array.GetString(0), Is.EqualTo("ab"));
        Assert.That(() => array.GetString(1), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("Row 1"));
    }

    [Test]
    public void BinaryBuilder_RoundTripsBytesAndNulls()
    {
        byte[]?[] values = [[1, 2], null, [], [255]];
        using var array = new BinaryArray.Builder().AppendRange(values).Build();

        Assert.That(array.DataType, Is.SameAs(BinaryType.Default));
        Assert.That(array.GetBytes(0).ToArray(), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(array.IsNull(1), Is.True);
        Assert.That(array.GetBytes(2).Length, Is.EqualTo(0));
        Assert.That(array.IsNull(2), Is.False);
        Assert.That(array.GetBytes(3).ToArray(), Is.EqualTo(new byte[] { 255 }));
    }

    [Test]
    public void StringBuilder_LongString_RoundTrips()
    {
        var text = new string('x', 1000) + "é";
        using var array = new StringArray.Builder().Append(text).Build();
        Assert.That(array.GetString(0), Is.EqualTo(text));
    }

    [FsCheckProperty(MaxTest = 200)]
    public bool Build_RandomStrings_ReadsBackEqualAndSlicesMatch(string?[] values, int a)
    {
        // Lone surrogates do not survive UTF-8; compare against what UTF-8 can carry.
        var expected = values.Select(v => v is null ? null : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(v))).ToArray();
        using var array = new StringArray.Builder().AppendRange(values).Build();
        var offset = values.Length == 0 ? 0 : Math.Abs(a % (values.Length + 1));
        using var slice = (StringArray)array.Slice(offset, values.Length - offset);
        return array.ToArray().SequenceEqual(expected) && slice.ToArray().SequenceEqual(expected.Skip(offset));
    }
}

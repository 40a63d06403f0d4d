using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Arrays;

public class LargeStringArrayTests
{
    [Test]
    public void Build_AndSlice_ReadsStringsWith64BitOffsets()
    {
        string?[] values = ["", "ä", null, "long text", "🙂"];
        using var array = new LargeStringArray.Builder().AppendRange(values).Build();
        using var slice = (LargeStringArray)array.Slice(1, 4);

        Assert.That(array.DataType, Is.SameAs(LargeStringType.Default));
        Assert.That(array.ToArray(), Is.EqualTo(values));
        Assert.That(array.ValueOffsets.ToArray(), Is.EqualTo(new long[] { 0, 0, 2, 2, 11, 15 }));
        Assert.That(slice.ToArray(), Is.EqualTo(values[1..]));
        Assert.That(slice.ValueOffsets[0], Is.EqualTo(0L));
        Assert.That(slice.NullCount, Is.EqualTo(1));
    }

    [Test]
    public void ReadFromHandMadeBuffers_MatchesTheLayout()
    {
        using var offsets = NativeBuffer.FromValues<long>([0, 3, 3, 5]);
        using var bytes = NativeBuffer.FromBytes("abcde"u8);
        using var validity = NativeBuffer.FromBytes([0b101]);
        using var array = new LargeStringArray(new ArrayData(
            LargeStringType.Default, 3, 1, 0, [validity.ToArrowBuffer(), offsets.ToArrowBuffer(), bytes.ToArrowBuffer()]));

        Assert.That(array.ToArray(), Is.EqualTo(new[] { "abc", null, "de" }));
    }

    [Test]
    public void GetBytes_OffsetBeyondData_ThrowsFormatError()
    {
        using var offsets = NativeBuffer.FromValues<long>([0, 9]);
        using var bytes = NativeBuffer.FromBytes("abc"u8);
        using var array = new LargeStringArray(new ArrayData(
            LargeStringType.Default, 1, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer(), bytes.ToArrowBuffer()]));

        Assert.That(() => array.GetString(0), Throws.TypeOf<ArrowFormatException>());
    }
}

using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace Dsl.Arrow.Tests.Arrays;

public class BooleanArrayTests
{
    private static readonly int[] s_lengths = [0, 1, 3, 4, 5, 7, 8, 9, 31, 33, 1000];

    private static bool? ValueAt(int i) => i % 5 == 2 ? null : i % 3 == 0;

    [TestCaseSource(nameof(s_lengths))]
    public void Build_WithNulls_ReadsBackBitPackedValues(int length)
    {
        var values = Enumerable.Range(0, length).Select(ValueAt).ToArray();
        using var array = new BooleanArray.Builder().AppendRange(values).Build();

        Assert.That(array.ToArray(), Is.EqualTo(values));
        Assert.That(array.NullCount, Is.EqualTo(values.Count(v => v is null)));
        Assert.That(array.ValueBitmap.Length, Is.EqualTo(BitUtility.ByteCount(length)));
    }

    [TestCaseSource(nameof(s_lengths))]
    public void Slice_OddOffsets_ReadsBitsAtTheOffset(int length)
    {
        var values = Enumerable.Range(0, length).Select(ValueAt).ToArray();
        using var array = new BooleanArray.Builder().AppendRange(values).Build();
        foreach (var offset in new[] { 1, 3, 7 }.Where(o => o <= length))
        {
            using var slice = (BooleanArray)array.Slice(offset, length - offset);

            Assert.That(slice.ToArray(), Is.EqualTo(values.Skip(offset).ToArray()));
            Assert.That(slice.ValuesAddress, Is.EqualTo(array.ValuesAddress), "the bit offset is not applied to the address");
            Assert.That(slice.NullCount, Is.EqualTo(values.Skip(offset).Count(v => v is null)));
        }
    }

    [Test]
    public void ValueBitmap_IsLsbFirst()
    {
        using var array = new BooleanArray.Builder().AppendRange([true, false, true, true]).Build();
        Assert.That(array.ValueBitmap[0], Is.EqualTo(0b1101));
    }

    [FsCheckProperty(MaxTest = 200)]
    public bool Build_RandomNullableValues_ReadsBackEqual(bool?[] values)
    {
        using var array = new BooleanArray.Builder().AppendRange(values).Build();
        return array.ToArray().SequenceEqual(values);
    }
}

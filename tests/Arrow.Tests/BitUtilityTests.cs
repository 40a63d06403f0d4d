using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace Dsl.Arrow.Tests;

public class BitUtilityTests
{
    [Test]
    public void SetAndGetBit_UseLsbFirstOrder()
    {
        Span<byte> bits = stackalloc byte[2];
        BitUtility.SetBit(bits, 0);
        BitUtility.SetBit(bits, 9, true);
        Assert.That(bits[0], Is.EqualTo(1));
        Assert.That(bits[1], Is.EqualTo(2));
        BitUtility.ClearBit(bits, 0);
        Assert.That(BitUtility.GetBit(bits, 0), Is.False);
        Assert.That(BitUtility.GetBit(bits, 9), Is.True);
    }

    [Test]
    public void CountSetBits_RangeOutsideBitmap_Throws() =>
        Assert.That(() => BitUtility.CountSetBits(new byte[2], 10, 7), Throws.TypeOf<ArgumentOutOfRangeException>());

    [FsCheckProperty(MaxTest = 300)]
    public bool CountSetBits_AnyRange_EqualsBitByBitCount(byte[] bitmap, int a, int b)
    {
        var bitLength = bitmap.Length * 8;
        var offset = bitLength == 0 ? 0 : Math.Abs(a % (bitLength + 1));
        var length = Math.Abs(b % (bitLength - offset + 1));
        var expected = Enumerable.Range(offset, length).Count(i => BitUtility.GetBit(bitmap, i));
        return BitUtility.CountSetBits(bitmap, offset, length) == expected;
    }
}

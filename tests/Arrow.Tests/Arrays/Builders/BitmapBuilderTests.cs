namespace Dsl.Arrow.Tests.Arrays.Builders;

public class BitmapBuilderTests
{
    [TestCase(0, 0)]
    [TestCase(3, 1)]
    [TestCase(3, 5)]
    [TestCase(1, 20)]
    [TestCase(8, 16)]
    [TestCase(5, 100)]
    public void AppendMany_AtAnyBitPosition_SetsExactlyThoseBits(int before, int count)
    {
        using var builder = new BitmapBuilder();
        builder.AppendMany(false, before);
        builder.AppendMany(true, count);
        builder.Append(false);
        builder.Append(true);

        using var bitmap = builder.Detach();
        var expected = Enumerable.Repeat(false, before).Concat(Enumerable.Repeat(true, count)).Append(false).Append(true).ToArray();
        var actual = Enumerable.Range(0, expected.Length).Select(i => BitUtility.GetBit(bitmap.Span, i)).ToArray();

        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(bitmap.Length, Is.EqualTo(BitUtility.ByteCount(expected.Length)));
        Assert.That(BitUtility.CountSetBits(bitmap.Span, 0, bitmap.Span.Length * 8), Is.EqualTo(count + 1), "no bit past the end is set");
    }
}

namespace Dsl.ArrowExtensions.Tests.Validation;

/// <summary><see cref="OffsetOrder.FirstDecrease{T}"/> against a plain loop, around the vector width, for both offset widths.</summary>
[TestFixture]
public sealed class OffsetOrderTests
{
    [Test]
    public void FirstDecrease_EveryLengthAndPosition_FindsTheFirstDecreaseAsAPlainLoopDoes()
    {
        for (int length = 0; length <= 40; length++)
        {
            var rising = Enumerable.Range(0, length).Select(i => i * 3).ToArray();
            Assert.That(OffsetOrder.FirstDecrease<int>(rising), Is.EqualTo(-1), $"{length} rising offsets");
            Assert.That(OffsetOrder.FirstDecrease<long>(rising.Select(v => (long)v).ToArray()), Is.EqualTo(-1), $"{length} rising large offsets");
            for (int at = 1; at < length; at++)
            {
                var offsets = (int[])rising.Clone();
                offsets[at] = offsets[at - 1] - 1; // the first decrease is the pair (at - 1, at)
                if (at + 1 < length) offsets[at + 1] = offsets[at] - 5; // and a later one must not be reported first
                Assert.That(OffsetOrder.FirstDecrease<int>(offsets), Is.EqualTo(at - 1), $"{length} offsets, decrease at {at}");
                Assert.That(OffsetOrder.FirstDecrease<long>(offsets.Select(v => (long)v).ToArray()), Is.EqualTo(at - 1), $"{length} large offsets, decrease at {at}");
            }
        }
    }

    [Test]
    public void FirstDecrease_EqualNeighbours_AreNotADecrease()
    {
        Assert.That(OffsetOrder.FirstDecrease<int>(Enumerable.Repeat(7, 33).ToArray()), Is.EqualTo(-1));
        Assert.That(OffsetOrder.FirstDecrease<long>(new long[] { 0, 0, long.MaxValue, long.MaxValue }), Is.EqualTo(-1));
    }
}

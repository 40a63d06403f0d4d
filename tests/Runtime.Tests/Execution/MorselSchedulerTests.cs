using System.Collections.Concurrent;
using Dsl.Runtime.Execution;

namespace Dsl.Runtime.Tests.Execution;

public sealed class MorselSchedulerTests
{
    [TestCase(0, 64, 1, false)]
    [TestCase(1, 64, 2, false)]
    [TestCase(63, 64, 2, false)]
    [TestCase(64, 64, 2, false)]
    [TestCase(65, 64, 2, false)]
    [TestCase(1000, 128, 2, false)]
    [TestCase(100_000, 1024, 4, false)]
    [TestCase(1, 64, 2, true)]
    [TestCase(65, 64, 2, true)]
    [TestCase(1000, 128, 2, true)]
    [TestCase(100_000, 1024, 4, true)]
    [TestCase(100_000, 64, 3, true)]
    public void Run_AnyShape_CoversEveryRowOnceWithAlignedStarts(int rows, int morsel, int threads, bool inRowOrder)
    {
        var seen = new int[rows];
        var ranges = new ConcurrentBag<(int Start, int Length)>();
        MorselScheduler.Run(rows, morsel, threads, (start, length) =>
        {
            ranges.Add((start, length));
            for (var i = start; i < start + length; i++) Interlocked.Increment(ref seen[i]);
        }, inRowOrder);

        Assert.That(seen, Is.All.EqualTo(1));
        Assert.That(ranges.Select(r => r.Start % 64), Is.All.EqualTo(0));
        Assert.That(ranges.Select(r => r.Length), Is.All.InRange(1, morsel));
    }

    [Test]
    public void Run_MorselNotMultipleOf64_Throws() =>
        Assert.That(() => MorselScheduler.Run(10, 100, 1, (_, _) => { }), Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase(null, MorselScheduler.DefaultMorselRows)]
    [TestCase(1, 64)]
    [TestCase(64, 64)]
    [TestCase(65, 128)]
    public void MorselRows_Request_RoundsUpToMultipleOf64(int? requested, int expected) =>
        Assert.That(MorselScheduler.MorselRows(requested), Is.EqualTo(expected));

    [Test]
    public void MorselRows_NonPositive_Throws() =>
        Assert.That(() => MorselScheduler.MorselRows(0), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void ThreadCount_Null_IsProcessorCount() =>
        Assert.That(MorselScheduler.ThreadCount(null), Is.EqualTo(Environment.ProcessorCount));

    [TestCase(false)]
    [TestCase(true)]
    public void Run_WorkThrowsOnAThread_RethrowsUnwrapped(bool inRowOrder) =>
        Assert.That(() => MorselScheduler.Run(1000, 64, 2, (start, _) =>
        {
            if (start == 512) throw new InvalidOperationException("boom");
        }, inRowOrder), Throws.TypeOf<InvalidOperationException>().With.Message.EqualTo("boom"));
}

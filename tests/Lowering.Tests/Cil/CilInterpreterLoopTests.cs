using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

[TestFixture]
public sealed class CilInterpreterLoopTests
{
    [Test]
    public void Lower_ForeachSumOverArray_BecomesAFold()
    {
        LoweringAssert.LowersExactly((Func<double[], double>)(xs =>
        {
            var total = 0.0;
            foreach (var x in xs) total += x;
            return total;
        }));
    }

    [Test]
    public void Lower_ForLoopWithSeveralAccumulators_BecomesAFold()
    {
        LoweringAssert.LowersExactly((Func<long[], long, long>)((xs, limit) =>
        {
            long count = 0, max = long.MinValue;
            for (var i = 0; i < xs.Length; i++)
            {
                if (xs[i] > limit) count++;
                if (xs[i] > max) max = xs[i];
            }

            return count * 1000 + max;
        }));
    }

    [Test]
    public void Lower_LoopWithEarlyExit_BecomesASearch()
    {
        var text = LoweringAssert.LowersExactlyOnGeneratedRows((Func<int[], int>)(xs =>
        {
            foreach (var x in xs)
                if (x > 0) return x;
            return -1;
        }));
        Assert.That(text, Does.Contain(".Any(").And.Contain(".First("));
    }
}

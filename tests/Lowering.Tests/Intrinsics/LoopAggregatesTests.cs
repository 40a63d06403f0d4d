using System.Linq.Expressions;
using Dsl.Lowering.Intrinsics;
using Dsl.TestSupport;
using NUnit.Framework;

namespace Dsl.Lowering.Tests.Intrinsics;

/// <summary>The IR for user loops over sequences against the same loops written in C#, on generated arrays (null, empty, long).</summary>
[TestFixture]
internal sealed class LoopAggregatesTests
{
    [Test]
    public void Fold_SingleAccumulator_MatchesForeachSum()
    {
        var xs = Expression.Parameter(typeof(double[]), "xs");
        var x = Expression.Parameter(typeof(double), "x");
        var sum = Expression.Parameter(typeof(double), "sum");

        var result = LoopAggregates.Fold(xs, x, [sum], [Expression.Constant(0.0)], [Expression.Add(sum, x)]);
        var ir = Expression.Lambda<Func<double[], double>>(result[0], xs).Compile();

        DifferentialCheck.Run("foreach sum", (Func<double[], double>)(values =>
        {
            var total = 0.0;
            foreach (var value in values) total += value;
            return total;
        }), ir);
    }

    [Test]
    public void Fold_TwoAccumulatorsWithBranch_MatchesLoopWithWrapAround()
    {
        var xs = Expression.Parameter(typeof(int[]), "xs");
        var x = Expression.Parameter(typeof(int), "x");
        var sum = Expression.Parameter(typeof(int), "sum");
        var count = Expression.Parameter(typeof(int), "count");
        var positive = Expression.GreaterThan(x, Expression.Constant(0));

        var result = LoopAggregates.Fold(xs, x, [sum, count], [Expression.Constant(0), Expression.Constant(0)],
            [Expression.Condition(positive, Expression.Add(sum, x), sum), Expression.Condition(positive, Expression.Increment(count), count)]);
        var ir = Expression.Lambda<Func<int[], int>>(Expression.Subtract(result[0], result[1]), xs).Compile();

        DifferentialCheck.Run("sum and count of positives", (Func<int[], int>)(values =>
        {
            int total = 0, n = 0;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] > 0)
                {
                    total += values[i];
                    n++;
                }
            }

            return total - n;
        }), ir);
    }

    [Test]
    public void FirstMatch_MatchesEarlyReturnLoop()
    {
        var xs = Expression.Parameter(typeof(long[]), "xs");
        var x = Expression.Parameter(typeof(long), "x");
        var condition = Expression.Equal(Expression.Modulo(x, Expression.Constant(7L)), Expression.Constant(0L));

        var result = LoopAggregates.FirstMatch(xs, x, condition, Expression.Multiply(x, Expression.Constant(2L)), Expression.Constant(-1L));
        var ir = Expression.Lambda<Func<long[], long>>(result, xs).Compile();

        DifferentialCheck.Run("first multiple of seven", (Func<long[], long>)(values =>
        {
            foreach (var value in values)
                if (value % 7 == 0) return value * 2;
            return -1;
        }), ir);
    }

    [Test]
    public void Fold_MoreThanSevenAccumulators_NestsTuplesAndMatchesTheLoop()
    {
        var xs = Expression.Parameter(typeof(long[]), "xs");
        var x = Expression.Parameter(typeof(long), "x");
        var accumulators = Enumerable.Range(0, 9).Select(i => Expression.Parameter(typeof(long), $"a{i}")).ToArray();
        // a0 += x, and each later one adds the one before it: a chain a plain loop computes in order.
        var next = accumulators.Select((a, i) => (Expression)Expression.Add(a, i == 0 ? x : accumulators[i - 1])).ToArray();

        var result = LoopAggregates.Fold(xs, x, accumulators, accumulators.Select(_ => (Expression)Expression.Constant(0L)).ToArray(), next);
        var ir = Expression.Lambda<Func<long[], long>>(Expression.Add(result[8], result[3]), xs).Compile();

        DifferentialCheck.Run("nine accumulators", (Func<long[], long>)(values =>
        {
            var a = new long[9];
            foreach (var value in values)
            {
                var before = (long[])a.Clone();
                for (var i = 0; i < 9; i++) a[i] = unchecked(before[i] + (i == 0 ? value : before[i - 1]));
            }

            return unchecked(a[8] + a[3]);
        }), ir);
    }

    [Test]
    public void Fold_MismatchedSeedType_Throws()
    {
        var xs = Expression.Parameter(typeof(int[]), "xs");
        var x = Expression.Parameter(typeof(int), "x");
        var acc = Expression.Parameter(typeof(long), "acc");

        Assert.That(() => LoopAggregates.Fold(xs, x, [acc], [Expression.Constant(0)], [acc]), Throws.ArgumentException);
    }
}

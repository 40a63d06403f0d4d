using System.Linq.Expressions;
using Dsl.Features;
using Dsl.Lowering;
using Dsl.Lowering.Ir;
using Dsl.TestSupport;
using Txns = System.Collections.Generic.IReadOnlyList<Dsl.TestSupport.Relations.Transaction>;

namespace Dsl.Tests.Functions;

/// <summary>
/// The catalogue's statistics: their rules on chosen values, and their lowering into aggregates (both front ends),
/// checked against the methods themselves on generated related rows.
/// </summary>
[TestFixture]
internal sealed class FAggregatesTests
{
    [Test]
    public void Variance_SampleAndPopulation_FollowTheTwoPassDefinition()
    {
        double[] values = [1, 2, 3, 4];

        Assert.That(F.VarianceSample(values), Is.EqualTo(5.0 / 3));
        Assert.That(F.VariancePopulation(values), Is.EqualTo(1.25));
        Assert.That(F.StandardDeviationSample(values), Is.EqualTo(Math.Sqrt(5.0 / 3)));
        Assert.That(F.StandardDeviationPopulation(values), Is.EqualTo(Math.Sqrt(1.25)));
    }

    [Test]
    public void Variance_TooFewValues_IsNull()
    {
        Assert.That(F.VarianceSample([7.0]), Is.Null);
        Assert.That(F.VariancePopulation([7.0]), Is.EqualTo(0.0));
        Assert.That(F.VariancePopulation(Array.Empty<double>()), Is.Null);
        Assert.That(F.StandardDeviationSample(new double?[] { null, 3.0, null }), Is.Null, "nulls are skipped, leaving one value");
        Assert.That(F.VariancePopulation(new double?[] { null }), Is.Null);
    }

    [Test]
    public void Variance_NonFiniteValues_GiveNaN()
    {
        Assert.That(F.VarianceSample([1.0, double.NaN]), Is.NaN);
        Assert.That(F.VariancePopulation([double.PositiveInfinity, 1.0]), Is.NaN);
    }

    [TestCase(0.0, 1.0)]
    [TestCase(0.5, 2.5)]
    [TestCase(1.0, 4.0)]
    [TestCase(0.25, 1.75)]
    public void Percentile_InterpolatesBetweenClosestRanks(double fraction, double expected) =>
        Assert.That(F.Percentile([4.0, 1.0, 3.0, 2.0], fraction), Is.EqualTo(expected));

    [Test]
    public void Percentile_OrdersNaNFirstAndNegativeZeroBeforePositive()
    {
        Assert.That(F.Percentile([2.0, double.NaN, 1.0], 0), Is.NaN);
        Assert.That(F.Percentile([2.0, double.NaN, 1.0], 1), Is.EqualTo(2.0));
        Assert.That(BitConverter.DoubleToInt64Bits(F.Percentile([0.0, -0.0], 0)!.Value), Is.EqualTo(BitConverter.DoubleToInt64Bits(-0.0)));
        Assert.That(BitConverter.DoubleToInt64Bits(F.Percentile([0.0, -0.0], 1)!.Value), Is.EqualTo(0L));
        Assert.That(BitConverter.DoubleToInt64Bits(F.Median([0.0, -0.0])!.Value), Is.EqualTo(BitConverter.DoubleToInt64Bits(-0.0)), "equal neighbours give the lower one");
        Assert.That(F.Median([double.PositiveInfinity, double.PositiveInfinity]), Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void Percentile_EmptyNullOrBadFraction_FollowTheRules()
    {
        Assert.That(F.Median(new double?[] { null, null }), Is.Null);
        Assert.That(() => F.Percentile([1.0], 1.5), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => F.Percentile([1.0], double.NaN), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => F.Median((IEnumerable<double>)null!), Throws.ArgumentNullException);
        Assert.That(() => F.VarianceSample((IEnumerable<double?>)null!), Throws.ArgumentNullException);
    }

    private static IEnumerable<TestCaseData> Statistics()
    {
        TestCaseData Case(string name, ListAggregateKind kind, Expression<Func<Txns, double, double?>> feature) =>
            new TestCaseData(kind, feature).SetArgDisplayNames(name);

        yield return Case("sample variance", ListAggregateKind.VarianceSample, (txns, p) => F.VarianceSample(txns.Select(t => t.Amount)));
        yield return Case("population variance of nullable", ListAggregateKind.VariancePopulation, (txns, p) => F.VariancePopulation(txns.Select(t => t.Discount)));
        yield return Case("sample deviation filtered", ListAggregateKind.StandardDeviationSample, (txns, p) => F.StandardDeviationSample(txns.Where(t => t.Quantity > 0).Select(t => t.Amount)));
        yield return Case("population deviation", ListAggregateKind.StandardDeviationPopulation, (txns, p) => F.StandardDeviationPopulation(txns.Select(t => (double)t.Cents)));
        yield return Case("median", ListAggregateKind.Percentile, (txns, p) => F.Median(txns.Select(t => t.Discount)));
        yield return Case("percentile", ListAggregateKind.Percentile, (txns, p) => F.Percentile(txns.Select(t => t.Amount), p));
    }

    [TestCaseSource(nameof(Statistics))]
    public void Lower_StatisticInExpression_IsAnAggregateThatMatches(ListAggregateKind kind, Expression<Func<Txns, double, double?>> feature)
    {
        var result = Lowerer.Lower(CatalogueInliner.Inline(feature));

        Assert.That(result.Succeeded, Is.True, () => result.Fallback!.ToString());
        var aggregate = Find(result.Ir!.Body);
        Assert.That(aggregate.Kind, Is.EqualTo(kind));
        Assert.That(aggregate.Method!.DeclaringType, Is.EqualTo(typeof(F)));
        DifferentialCheck.Run(TestContext.CurrentContext.Test.Name, feature.Compile(), ScalarCompiler.Compile(result.Ir), 300);
    }

    [Test]
    public void Lower_StatisticInResolver_IsAnAggregateThatMatches()
    {
        Func<Txns, double?> resolver = txns => F.Median(txns.Select(t => t.Amount)) - F.StandardDeviationPopulation(txns.Select(t => t.Discount));

        var result = Lowerer.Lower(resolver);

        Assert.That(result.Succeeded, Is.True, () => result.Fallback!.ToString());
        DifferentialCheck.Run(nameof(resolver), resolver, ScalarCompiler.Compile(result.Ir!), 300);
    }

    [Test]
    public void Inline_StatisticCall_StaysACall()
    {
        Expression<Func<double[], double?>> feature = xs => F.Median(xs);

        Assert.That(CatalogueInliner.Inline(feature), Is.SameAs(feature));
    }

    [Test]
    public void Lower_MedianOverAListColumn_IsAPercentileAtOneHalf()
    {
        Expression<Func<double[], double?>> feature = xs => F.Median(xs);

        var aggregate = Find(Lowerer.Lower(feature).Ir!.Body);

        Assert.That(aggregate.Argument, Is.InstanceOf<ConstantExpression>().With.Property(nameof(ConstantExpression.Value)).EqualTo(0.5));
    }

    private static ListAggregateExpression Find(Expression body) => body switch
    {
        ListAggregateExpression aggregate => aggregate,
        UnaryExpression unary => Find(unary.Operand),
        BinaryExpression binary => Find(binary.Left),
        _ => throw new AssertionException($"no aggregate in {body}"),
    };
}

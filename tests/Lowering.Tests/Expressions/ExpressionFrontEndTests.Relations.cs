using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport.Relations;
using NUnit.Framework;
using Txns = System.Collections.Generic.IReadOnlyList<Dsl.TestSupport.Relations.Transaction>;

namespace Dsl.Lowering.Tests.Expressions;

/// <summary>
/// Features over related rows written as expression trees (what the <c>_</c> builder produces once <c>_.Transactions</c>
/// and the query time are parameters): LINQ with lambdas over entity elements, member reads on chosen rows, nested
/// aggregates, statistics; against the compiled expression on generated rows.
/// </summary>
[TestFixture]
internal sealed class ExpressionFrontEndRelationTests
{
    private static IEnumerable<TestCaseData> Features()
    {
        TestCaseData Case<T>(string name, Expression<T> feature) => new TestCaseData(feature).SetArgDisplayNames(name);

        yield return Case<Func<Txns, DateTime, double>>("30-day sum", (txns, now) => txns.Where(t => t.At > now - TimeSpan.FromDays(30)).Sum(t => t.Amount));
        yield return Case<Func<Txns, double>>("max by then member", txns => txns.MaxBy(t => t.At)!.Amount);
        yield return Case<Func<Txns, double?>>("first or default then member", txns =>
            txns.FirstOrDefault(t => t.Amount > 1) == null ? null : txns.FirstOrDefault(t => t.Amount > 1)!.Amount);
        yield return Case<Func<Txns, int>>("distinct count", txns => txns.Select(t => t.Amount).Distinct().Count());
        yield return Case<Func<Txns, double>>("sum over guarded count", txns => txns.Sum(t => t.Amount) / Math.Max(1, txns.Count()));
        yield return Case<Func<Txns, double>>("sum over count property", txns => txns.Sum(t => t.Amount) / Math.Max(1, txns.Count));
        yield return Case<Func<Txns, double>>("squared deviations", txns => txns.Sum(t => (t.Amount - txns.Average(u => u.Amount)) * (t.Amount - txns.Average(u => u.Amount))));
        yield return Case<Func<Txns, double>>("computed property", txns => txns.Sum(t => t.Net));
        yield return Case<Func<Txns, int>>("public field", txns => txns.Count(t => t.Flags > 1));
        yield return Case<Func<Txns, long>>("last with throwing predicate", txns => txns.Last(t => 100 / t.Quantity > 3).Id);
        yield return Case<Func<Txns, long?>>("min by nullable key", txns => txns.Count == 0 ? null : txns.MinBy(t => t.Discount)!.Id);
        yield return Case<Func<Txns, double, bool>>("any above threshold", (txns, limit) => txns.Any(t => t.Amount > limit) && txns.All(t => t.Quantity >= 0));
        yield return Case<Func<Txns, decimal?>>("nullable decimal average", txns => txns.Where(t => t.Merchant == "a").Average(t => t.Price));
        yield return Case<Func<Txns, float>>("float sum", txns => txns.Sum(t => t.Weight));
        yield return Case<Func<Txns, long>>("long count", txns => txns.LongCount(t => t.Discount == null));
        yield return Case<Func<Txns, double>>("default if empty", txns => txns.Select(t => t.Amount).DefaultIfEmpty(-1).Min());
        yield return Case<Func<Txns, int>>("skip then count", txns => txns.Skip(3).Count());
        yield return Case<Func<Txns, DateTime>>("last at", txns => txns.Where(t => t.Amount > 0).Select(t => t.At).LastOrDefault());
        yield return Case<Func<Txns, double>>("fold", txns => txns.Aggregate(1.0, (acc, t) => acc * (1 + t.Amount / 100)));
        yield return Case<Func<IEnumerable<Transaction>, double?>>("over IEnumerable", txns => txns.Max(t => t.Discount));
        yield return Case<Func<List<Transaction>, int>>("over List", txns => txns.Count(t => t.Merchant == "b"));
        yield return Case<Func<Transaction[], double>>("over array of rows", txns => txns.Average(t => t.Amount));
        yield return Case<Func<Txns, double?>>("test catalogue statistic", txns => TestCatalogue.Spread(txns.Select(t => t.Amount)));
        yield return Case<Func<Txns, double?>>("test catalogue median", txns => TestCatalogue.Middle(txns.Where(t => t.Quantity > 0).Select(t => t.Discount)));
        yield return Case<Func<Txns, double, double?>>("test catalogue percentile", (txns, p) => TestCatalogue.Rank(txns.Select(t => t.Discount), Math.Clamp(p, 0, 1)));
    }

    [TestCaseSource(nameof(Features))]
    public void Lower_FeatureOverRelatedRows_MatchesCompiledExpression(LambdaExpression feature) => RelationAssert.LowersExactly(feature);

    [Test]
    public void Lower_MeanInsideSumOfSquares_IsTheSameNodeAsTheMean()
    {
        Expression<Func<Txns, double>> feature = txns =>
            txns.Average(u => u.Amount) + txns.Sum(t => (t.Amount - txns.Average(u => u.Amount)) * (t.Amount - txns.Average(v => v.Amount)));

        var aggregates = AggregateNodes.In(RelationAssert.Ir(feature).Body);

        Assert.That(aggregates.Count(a => a.Kind == ListAggregateKind.Average), Is.EqualTo(1), "the three means are one node");
        var sum = aggregates.Single(a => a.Kind == ListAggregateKind.Sum);
        Assert.That(AggregateNodes.In(sum.Selector!.Body), Has.Some.SameAs(aggregates.Single(a => a.Kind == ListAggregateKind.Average)));
    }

    [Test]
    public void Lower_MemberOfElement_IsAPropertyOnTheLambdaParameter()
    {
        Expression<Func<Txns, double>> feature = txns => txns.Where(t => t.Discount > 0).Sum(t => t.Amount);

        var sum = AggregateNodes.In(RelationAssert.Ir(feature).Body).Single();

        Assert.That(sum.ElementType, Is.EqualTo(typeof(Transaction)));
        Assert.That(sum.Selector!.Body, Is.InstanceOf<MemberExpression>()
            .With.Property(nameof(MemberExpression.Expression)).SameAs(sum.Selector.Parameters[0])
            .And.Property(nameof(MemberExpression.Member)).EqualTo(typeof(Transaction).GetProperty(nameof(Transaction.Amount))));
        Assert.That(sum.Filter!.Parameters[0], Is.SameAs(sum.Selector.Parameters[0]), "lambdas over the same element type share the canonical parameter");
    }

    [Test]
    public void Lower_FeaturesThatBreakTheContract_FallBackWithTheirReason()
    {
        Assert.That(Fallback<Func<Txns, int>>(txns => txns.Count(t => txns.Count(u => u.Amount > t.Amount) > 1)), Is.EqualTo("nested-aggregate"));
        Assert.That(Fallback<Func<IReadOnlyList<Txns>, int>>(groups => groups.Sum(g => g.Count(t => t.Amount > 0))), Is.EqualTo("nested-aggregate"));
        Assert.That(Fallback<Func<Txns, bool>>(txns => txns.First() == txns.Last()), Is.EqualTo("entity-use"));
        Assert.That(Fallback<Func<Txns, string?>>(txns => txns.MaxBy(t => t.Merchant)!.Merchant), Is.EqualTo("culture"));
        Assert.That(Fallback<Func<Txns, string>>(txns => txns.Select(t => t.Merchant).Min()!), Is.EqualTo("culture"));
    }

    private static string Fallback<T>(Expression<T> feature)
    {
        var result = Lowerer.Lower(feature);
        Assert.That(result.Succeeded, Is.False, () => $"lowered to {IrPrinter.Print(result.Ir!)}");
        TestContext.Out.WriteLine(result.Fallback);
        return result.Fallback!.Construct;
    }
}

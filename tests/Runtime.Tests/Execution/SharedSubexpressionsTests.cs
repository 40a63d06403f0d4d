using System.Linq.Expressions;
using Dsl.Runtime.Execution;

namespace Dsl.Runtime.Tests.Execution;

public sealed class SharedSubexpressionsTests
{
    private static SharedSubexpressions.Feature Feature(string name, LambdaExpression ir) =>
        new(name, ir, ir.Parameters.ToDictionary(p => p, p => p.Name!));

    private static SharedSubexpressions.Result Hoist(params SharedSubexpressions.Feature[] features) =>
        SharedSubexpressions.Hoist(features, _ => true);

    [Test]
    public void Hoist_CostlyCallInTwoFeatures_ComputedOnceInAHiddenFeature()
    {
        Expression<Func<double, double, double>> a = (x, y) => Math.Log(x + 1) * y;
        Expression<Func<double, double>> b = x => Math.Log(x + 1) + 2;

        var result = Hoist(Feature("a", a), Feature("b", b));

        Assert.That(result.Hidden, Has.Count.EqualTo(1));
        var hidden = result.Hidden[0];
        Assert.That(hidden.Ir.Compile().DynamicInvoke(Math.E - 1), Is.EqualTo(1.0));
        Assert.That(hidden.ColumnOf.Values, Is.EquivalentTo(new[] { "x" }));
        foreach (var feature in result.Rewritten)
        {
            Assert.That(feature.Ir.Parameters.Last().Name, Is.EqualTo(hidden.Name));
            Assert.That(feature.ColumnOf[feature.Ir.Parameters.Last()], Is.EqualTo(hidden.Name));
        }
    }

    [Test]
    public void Hoist_RewrittenFeatures_GiveTheSameValuesGivenTheHiddenColumn()
    {
        Expression<Func<double, double, double>> a = (x, y) => Math.Sqrt(x * x + y * y) - x;
        Expression<Func<double, double, bool>> b = (x, y) => Math.Sqrt(x * x + y * y) > 10;
        var result = Hoist(Feature("a", a), Feature("b", b));
        var hidden = result.Hidden.Single().Ir.Compile();

        foreach (var (x, y) in new[] { (3.0, 4.0), (0.0, -0.0), (double.NaN, 1.0), (1e300, 1e300), (-7.0, 24.0) })
        {
            var shared = hidden.DynamicInvoke(x, y);
            Assert.That(result.Rewritten[0].Ir.Compile().DynamicInvoke(x, y, shared), Is.EqualTo(a.Compile()(x, y)));
            Assert.That(result.Rewritten[1].Ir.Compile().DynamicInvoke(x, y, shared), Is.EqualTo(b.Compile()(x, y)));
        }
    }

    [Test]
    public void Hoist_SameShapeOnDifferentColumns_NotShared()
    {
        Expression<Func<double, double>> a = x => Math.Log(x);
        Expression<Func<double, double>> b = y => Math.Log(y);
        Assert.That(Hoist(Feature("a", a), Feature("b", b)).Hidden, Is.Empty);
    }

    [Test]
    public void Hoist_SameParameterNameBoundToOneColumn_Shared()
    {
        Expression<Func<double, double>> a = x => Math.Log(x);
        Expression<Func<double, double>> b = y => Math.Log(y) + 1;
        var fa = new SharedSubexpressions.Feature("a", a, new Dictionary<ParameterExpression, string> { [a.Parameters[0]] = "amount" });
        var fb = new SharedSubexpressions.Feature("b", b, new Dictionary<ParameterExpression, string> { [b.Parameters[0]] = "amount" });
        Assert.That(SharedSubexpressions.Hoist([fa, fb], _ => true).Hidden, Has.Count.EqualTo(1));
    }

    [Test]
    public void Hoist_SubtreeThatCanThrow_NotShared()
    {
        // Integer division throws on a zero divisor: computing it for rows that would not have evaluated it
        // would report errors the function never raises.
        Expression<Func<int, int, bool, long>> a = (x, y, c) => c ? (long)Math.Sqrt(x / y) : 0;
        Expression<Func<int, int, double>> b = (x, y) => Math.Sqrt(x / y);
        Assert.That(Hoist(Feature("a", a), Feature("b", b)).Hidden, Is.Empty);
    }

    [Test]
    public void Hoist_NullableValueRead_NotShared()
    {
        Expression<Func<double?, double>> a = x => Math.Log(x!.Value);
        Expression<Func<double?, double>> b = x => Math.Log(x!.Value) * 2;
        Assert.That(Hoist(Feature("a", a), Feature("b", b)).Hidden, Is.Empty);
    }

    [Test]
    public void Hoist_CheapSubtree_NotShared()
    {
        Expression<Func<double, double, double>> a = (x, y) => (x - y) * 2;
        Expression<Func<double, double, double>> b = (x, y) => (x - y) * 3;
        Assert.That(Hoist(Feature("a", a), Feature("b", b)).Hidden, Is.Empty);
    }

    [Test]
    public void Hoist_TypeThatCannotBeMaterialized_NotShared()
    {
        Expression<Func<double, double>> a = x => Math.Log(x);
        Expression<Func<double, double>> b = x => Math.Log(x) + 1;
        var result = SharedSubexpressions.Hoist([Feature("a", a), Feature("b", b)], type => type != typeof(double));
        Assert.That(result.Hidden, Is.Empty);
        Assert.That(result.Rewritten[0].Ir, Is.SameAs(a));
    }

    [Test]
    public void Hoist_OneFeature_NothingShared()
    {
        Expression<Func<double, double>> a = x => Math.Log(x) + Math.Log(x);
        Assert.That(Hoist(Feature("a", a)).Hidden, Is.Empty);
    }
}

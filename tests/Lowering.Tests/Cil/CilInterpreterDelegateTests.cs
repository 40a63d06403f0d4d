using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

/// <summary>Lambdas passed to LINQ from the CIL front end: the compiler's cached delegate becomes a lowered lambda.</summary>
[TestFixture]
public sealed class CilInterpreterDelegateTests
{
    [Test]
    public void Lower_CachedStaticLambdaInWhere_BecomesAListAggregate()
    {
        var text = LoweringAssert.LowersExactlyOnGeneratedRows((Func<double[], double>)(xs => xs.Where(static x => x > 0).Sum()));
        Assert.That(text, Does.Contain("ListAggregateExpression").And.Not.Contains("<>9"));
    }

    [Test]
    public void Lower_TwoCachedLambdas_EachBecomesItsOwnLambda() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<int[], bool>)(xs => xs.Any(x => x < 0) || xs.All(x => x % 3 == 0)));

    [Test]
    public void Lower_LambdaWithBranchesAndMath_IsLoweredWithItsOwnFlow() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<double[], double>)(xs => xs.Select(x =>
        {
            if (double.IsNaN(x)) return 0.0;
            return Math.Max(x, -1.0);
        }).Sum()));

    [Test]
    public void Lower_LambdaThatMayThrow_ThrowsLikeTheDelegate() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<int[], int, int>)((xs, d) => xs.Count(x => 100 / x > 3) + d));

    [Test]
    public void Lower_LambdaOverAnArrayLiteral_Lowers() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<double, bool>)(y => new[] { 1.5, -2.0, double.NaN }.All(e => e > 1.0) || y > 0));

    [Test]
    public void Lower_LambdaInvokedDirectly_FallsBack() =>
        LoweringAssert.FallsBack((Func<int, int>)(x =>
        {
            Func<int, int> twice = static v => v * 2;
            return twice(x);
        }), "unknown-call");
}

using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport;
using Dsl.TestSupport.Roslyn;

namespace Dsl.Lowering.Tests;

[TestFixture]
public sealed class LowererTests
{
    [Test]
    public void Lower_ChainOfLocalsEachUsedTwice_LowersExactlyToADagLinearInTheChain()
    {
        var function = CSharpLambda.Compile("Func<double, double>", DeepSharing.CSharpLambda(), optimize: true).Function;

        var ir = DeepSharing.FinishesInTime(() => LoweringAssert.LowersExactly(function));

        Assert.That(IrMetrics.CountDistinctNodes(ir.Body), Is.LessThan(5 * DeepSharing.Depth));
    }

    [Test]
    public void Lower_ExpressionTreeSharingEachLevel_LowersExactlyToADagLinearInTheChain()
    {
        var lambda = DeepSharing.Lambda();

        var result = DeepSharing.FinishesInTime(() => Lowerer.Lower(lambda));

        Assert.That(result.Succeeded, Is.True, () => $"fell back: {result.Fallback}");
        Assert.That(IrMetrics.CountDistinctNodes(result.Ir!.Body), Is.LessThan(5 * DeepSharing.Depth));
        ScalarDifferential.AssertEquivalent(DeepSharing.Evaluate, result.Ir!);
    }
}

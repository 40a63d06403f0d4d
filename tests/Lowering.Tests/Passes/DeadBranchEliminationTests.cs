using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Passes;
using Dsl.TestSupport;

namespace Dsl.Lowering.Tests.Passes;

[TestFixture]
public sealed class DeadBranchEliminationTests
{
    [Test]
    public void Run_ConstantTest_KeepsTheArmTaken()
    {
        var x = Expression.Parameter(typeof(double), "x");
        var conditional = Expression.Condition(Expression.Constant(false), Expression.Constant(1.0), x);

        Assert.That(new DeadBranchElimination(new IrFactory(1000)).Run(conditional), Is.SameAs(x));
    }

    [Test]
    public void Run_DeeplySharedDag_RewritesEachSharedNodeOnce()
    {
        // x(k+1) = true ? x(k) + x(k) : 0.0, sixty levels: a tree walk would visit 2^60 arms.
        var x0 = Expression.Parameter(typeof(double), "x0");
        Expression x = x0;
        for (var level = 0; level < DeepSharing.Depth; level++)
            x = Expression.Condition(Expression.Constant(true), Expression.Add(x, x), Expression.Constant(0.0));

        var eliminated = DeepSharing.FinishesInTime(() => new DeadBranchElimination(new IrFactory(100_000)).Run(x));

        var top = (BinaryExpression)eliminated;
        Assert.That(top.Left, Is.SameAs(top.Right));
        Assert.That(IrMetrics.CountDistinctNodes(eliminated), Is.EqualTo(DeepSharing.Depth + 1));
    }
}

using System.Linq.Expressions;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport;

namespace Dsl.Lowering.Tests.Analyses;

[TestFixture]
public sealed class EffectLogTests
{
    [Test]
    public void Seal_SplitPartOfALoggedSplit_DoesNotReplayTheSplit()
    {
        // The Split call is logged when the interpreter meets it; the part taken from it evaluates that same
        // node first, so sealing must not add a statement that splits the string a second time.
        var ir = LoweringAssert.LowersExactly((Func<string, string>)(email => email.Split('@')[0]));

        Assert.That(ir.Body, Is.InstanceOf<SplitPartExpression>(), () => IrPrinter.Print(ir));
    }

    [Test]
    public void Seal_SplitPartWithAThrowingIndex_KeepsCSharpOrder()
    {
        // A null text throws NullReferenceException from Split before the index divides by zero.
        var ir = LoweringAssert.LowersExactly((Func<string, int, string>)((text, n) => text.Split(',')[10 / n]));

        Assert.That(ir.Body.NodeType, Is.Not.EqualTo(ExpressionType.Block), () => IrPrinter.Print(ir));
    }

    [Test]
    public void Observe_BothArmsOfNestedBranchesShareTheLevelBelow_StopsWithIrTooLarge()
    {
        // x(k+1) = q > k ? x(k) / d : x(k) % d: each arm walks x(k) with its own seen set, 2^60 paths in all.
        var (q, d) = (Expression.Parameter(typeof(int), "q"), Expression.Parameter(typeof(int), "d"));
        Expression x = Expression.Parameter(typeof(int), "x0");
        for (var level = 0; level < DeepSharing.Depth; level++)
            x = Expression.Condition(Expression.GreaterThan(q, Expression.Constant(level)), Expression.Divide(x, d), Expression.Modulo(x, d));

        var failure = DeepSharing.FinishesInTime(() => Assert.Throws<LoweringFailure>(() => EffectLog.Empty.Observe(x)));

        Assert.That(failure!.Construct, Is.EqualTo("ir-too-large"));
    }

    [Test]
    public void Observe_ChainSharedOnlyByCertainEvaluations_WalksEachNodeOnce()
    {
        var d = Expression.Parameter(typeof(int), "d");
        Expression x = Expression.Parameter(typeof(int), "x0");
        for (var level = 0; level < DeepSharing.Depth; level++) x = Expression.Add(Expression.Divide(x, d), Expression.Modulo(x, d));

        var log = EffectLog.Empty.Observe(x);

        Assert.That(log.Work, Is.LessThanOrEqualTo(IrMetrics.CountDistinctNodes(x)));
        Assert.That(log.Items, Has.Count.EqualTo(2 * DeepSharing.Depth));
    }
}

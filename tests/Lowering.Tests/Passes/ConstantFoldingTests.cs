using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Passes;
using Dsl.TestSupport;

namespace Dsl.Lowering.Tests.Passes;

[TestFixture]
public sealed class ConstantFoldingTests
{
    [Test]
    public void Run_ConstantArithmetic_Folds()
    {
        var ir = new IrFactory(1000);
        var folded = new ConstantFolding(ir).Run(Expression.Add(Expression.Constant(0.1), Expression.Constant(0.2)));
        Assert.That(folded, Is.InstanceOf<ConstantExpression>());
        Assert.That(((ConstantExpression)folded).Value, Is.EqualTo(0.1 + 0.2));
    }

    [Test]
    public void Run_DivisionByZeroAndOverflow_AreKeptToThrowAtRunTime()
    {
        var ir = new IrFactory(1000);
        var pass = new ConstantFolding(ir);
        Assert.That(pass.Run(Expression.Divide(Expression.Constant(1), Expression.Constant(0))), Is.Not.InstanceOf<ConstantExpression>());
        Assert.That(pass.Run(Expression.Divide(Expression.Constant(int.MinValue), Expression.Constant(-1))), Is.Not.InstanceOf<ConstantExpression>());
        Assert.That(pass.Run(Expression.AddChecked(Expression.Constant(int.MaxValue), Expression.Constant(1))), Is.Not.InstanceOf<ConstantExpression>());
    }

    [Test]
    public void Run_AggregateOverAConstantArray_FoldsAndOneThatThrowsOrReadsAParameterIsKept()
    {
        var ir = new IrFactory(1000);
        var pass = new ConstantFolding(ir);
        var max = Dsl.Lowering.Intrinsics.LoopAggregates.Aggregate(ListAggregateKind.Max, Expression.Constant(new[] { 1.5, -2.0, 7.25 }));
        var emptyMin = Dsl.Lowering.Intrinsics.LoopAggregates.Aggregate(ListAggregateKind.Min, Expression.Constant(Array.Empty<long>()));
        var bound = Expression.Parameter(typeof(double), "bound");
        var item = Expression.Parameter(typeof(double), "item");
        var countAbove = Dsl.Lowering.Intrinsics.LoopAggregates.Aggregate(
            ListAggregateKind.Count, Expression.Constant(new[] { 1.5, -2.0, 7.25 }), filter: Expression.Lambda(Expression.GreaterThan(item, bound), item));

        Assert.That(pass.Run(max), Is.InstanceOf<ConstantExpression>().With.Property(nameof(ConstantExpression.Value)).EqualTo(7.25));
        Assert.That(pass.Run(emptyMin), Is.InstanceOf<ListAggregateExpression>(), "Min of an empty array throws at run time");
        Assert.That(pass.Run(countAbove), Is.InstanceOf<ListAggregateExpression>(), "the filter reads a parameter");
    }

    [Test]
    public void Run_NegativeZero_StaysNegative()
    {
        var ir = new IrFactory(1000);
        var folded = (ConstantExpression)new ConstantFolding(ir).Run(Expression.Negate(Expression.Constant(0.0)));
        Assert.That(double.IsNegative((double)folded.Value!), Is.True);
    }

    [Test]
    public void Run_DeeplySharedDag_FoldsEachSharedNodeOnce()
    {
        var x0 = Expression.Parameter(typeof(double), "x0");
        var chain = DeepSharing.Chain(x0);

        var folded = DeepSharing.FinishesInTime(() => new ConstantFolding(new IrFactory(100_000)).Run(chain));

        // x60 = x59 * (x59 - 3.0): the constant is folded and x59 stays one shared object.
        var top = (BinaryExpression)folded;
        var operand = (BinaryExpression)top.Right;
        Assert.That(operand.Right, Is.InstanceOf<ConstantExpression>().With.Property("Value").EqualTo(3.0));
        Assert.That(operand.Left, Is.SameAs(top.Left));
    }
}

using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Passes;

namespace Dsl.Lowering.Tests.Passes;

[TestFixture]
public sealed class HashConsingTests
{
    [Test]
    public void Run_EqualSubtrees_BecomeOneObject()
    {
        var x = Expression.Parameter(typeof(double), "x");
        var tree = Expression.Multiply(Expression.Add(x, Expression.Constant(1.0)), Expression.Add(x, Expression.Constant(1.0)));
        var shared = (BinaryExpression)new HashConsing(new IrFactory(1000)).Run(tree);
        Assert.That(shared.Left, Is.SameAs(shared.Right));
    }

    [Test]
    public void Run_ZeroAndNegativeZero_StayDistinct()
    {
        var x = Expression.Parameter(typeof(double), "x");
        var tree = Expression.Subtract(Expression.Add(x, Expression.Constant(0.0)), Expression.Add(x, Expression.Constant(-0.0)));
        var result = (BinaryExpression)new HashConsing(new IrFactory(1000)).Run(tree);
        Assert.That(result.Left, Is.Not.SameAs(result.Right));
    }
}

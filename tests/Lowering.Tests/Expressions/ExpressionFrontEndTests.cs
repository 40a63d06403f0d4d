using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Expressions;

[TestFixture]
public sealed class ExpressionFrontEndTests
{
    [Test]
    public void Lower_ExpressionTreeWithNullGuard_DropsTheCheckedValue()
    {
        Expression<Func<double?, double>> expression = x => x.HasValue ? x.Value * 2 : -1;
        var result = Lowerer.Lower(expression);
        Assert.That(result.Succeeded, Is.True, () => result.Fallback!.ToString());
        Assert.That(IrPrinter.Print(result.Ir!), Does.Not.Contain(".Value"));
        ScalarDifferential.AssertEquivalent(expression.Compile(), result.Ir!);
    }

    [Test]
    public void Lower_ExpressionTreeArithmetic_MatchesCompiledExpression()
    {
        Expression<Func<int, int, int>> expression = (a, b) => b != 0 ? a / b + a % 3 : checked(a * 2);
        var result = Lowerer.Lower(expression);
        Assert.That(result.Succeeded, Is.True, () => result.Fallback!.ToString());
        ScalarDifferential.AssertEquivalent(expression.Compile(), result.Ir!);
    }

    [Test]
    public void Lower_ExpressionTreeWithUnsupportedNode_FallsBack()
    {
        var parameter = Expression.Parameter(typeof(int), "x");
        var loop = Expression.Lambda<Func<int, int>>(Expression.Block(Expression.Assign(parameter, Expression.Constant(1)), parameter), parameter);
        var result = Lowerer.Lower(loop);
        Assert.That(result.Fallback?.Construct, Is.EqualTo("expression-node"));
    }
}

using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Passes;

/// <summary>
/// A null test whose answer the nullability analysis knows is replaced by a constant only when that drops no
/// exception: the constant does not evaluate the operand, and the function does.
/// </summary>
[TestFixture]
public sealed class NullableSimplificationTests
{
    /// <summary>
    /// Found by the fuzzer (seed 11, program 7271): a concatenation is never null, but the <c>Replace</c> inside it
    /// throws NullReferenceException for a null <c>p</c>; the pass folded the test to true and the kernel answered true.
    /// </summary>
    [Test]
    public void Lower_NullTestOfAConcatThatThrows_KeepsTheException()
    {
        var ir = LoweringAssert.LowersExactly((Func<string, bool>)(p => (p.Replace(".", "") + "x") != null));
        Assert.That(IrPrinter.Print(ir), Does.Contain("Replace"));
        LoweringAssert.LowersExactly((Func<string, bool>)(p => string.IsNullOrEmpty(p) && (p.Replace(".", "") + "Été") != null));
    }

    [Test]
    public void Lower_NullTestOfAConcatThatCannotThrow_IsAConstant()
    {
        var ir = LoweringAssert.LowersExactly((Func<string, bool>)(p => (p + "x") != null));
        Assert.That(IrPrinter.Print(ir), Does.Contain("return true;"));
    }

    /// <summary>The expression front end has no effect log: the pass alone must keep <c>a / b</c>'s DivideByZeroException.</summary>
    [Test]
    public void Lower_ExpressionTreeNullTestsOfAThrowingValue_KeepTheException()
    {
#pragma warning disable CS0472 // Always true, as the test says: the point is that it still throws for b = 0.
        Expression<Func<int, int, bool>> test = (a, b) => (int?)(a / b) != null;
#pragma warning restore CS0472
        Expression<Func<int, int, int>> coalesce = (a, b) => (int?)(a / b) ?? -1;
        Expression<Func<string, bool>> reference = p => p.Trim() + "x" == null;

        foreach (var expression in new LambdaExpression[] { test, coalesce, reference })
        {
            var result = Lowerer.Lower(expression);
            Assert.That(result.Succeeded, Is.True, () => result.Fallback!.ToString());
            TestContext.Out.WriteLine(IrPrinter.Print(result.Ir!));
            ScalarDifferential.AssertEquivalent(expression.Compile(), result.Ir!);
        }
    }

    [Test]
    public void Lower_ExpressionTreeCoalesceOfANeverNullValue_ReadsItWithoutATest()
    {
        Expression<Func<int, int, int>> coalesce = (a, b) => (int?)(a / b) ?? -1;

        var result = Lowerer.Lower(coalesce);

        Assert.That(IrPrinter.Print(result.Ir!), Does.Not.Contain("??").And.Not.Contain("HasValue"));
    }
}

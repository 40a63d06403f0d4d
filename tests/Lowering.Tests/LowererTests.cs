using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Tests;

[TestFixture]
public sealed class LowererTests
{
    private static double Resolver(double subtotal, double? discount, double? taxRate, bool taxable)
    {
        if (discount is not null) subtotal = Math.Max(subtotal - discount.Value, 0.0);
        if (!taxable || taxRate is null) return subtotal;
        return subtotal * (1.0 + taxRate.Value);
    }

    [Test]
    public void Lower_ReferenceResolver_SucceedsWithSharedSubtotal()
    {
        var result = Lowerer.Lower((Func<double, double?, double?, bool, double>)Resolver);
        Assert.That(result.Succeeded, Is.True, () => result.Fallback!.ToString());
        var text = IrPrinter.Print(result.Ir!);
        TestContext.Out.WriteLine(text);
        Assert.That(text, Does.Contain("let s1"));
    }
}

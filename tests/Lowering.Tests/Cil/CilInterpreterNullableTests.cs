using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

[TestFixture]
public sealed class CilInterpreterNullableTests
{
    private static double Resolver(double subtotal, double? discount, double? taxRate, bool taxable)
    {
        if (discount is not null) subtotal = Math.Max(subtotal - discount.Value, 0.0);
        if (!taxable || taxRate is null) return subtotal;
        return subtotal * (1.0 + taxRate.Value);
    }

    [Test]
    public void Lower_ReferenceResolver_SharesSubtotalAndDropsTheNullCheck()
    {
        var ir = LoweringAssert.LowersExactly((Func<double, double?, double?, bool, double>)Resolver);
        // The C# compiler of SDK 10.0.4xx lays out `!taxable || taxRate is null` as nested branches, earlier ones as one
        // condition; both share the adjusted subtotal and read taxRate's value without a second null check.
        Assert.That(IrPrinter.Print(ir), Is.AnyOf(
            """
            (double subtotal, double? discount, double? taxRate, bool taxable) =>
            {
                let s1 = discount.HasValue ? Math.Max(subtotal - discount.GetValueOrDefault(), 0.0) : subtotal;
                return !taxable || !taxRate.HasValue ? s1 : s1 * (1.0 + taxRate.GetValueOrDefault());
            }
            """.ReplaceLineEndings("\n"),
            """
            (double subtotal, double? discount, double? taxRate, bool taxable) =>
            {
                let s1 = discount.HasValue ? Math.Max(subtotal - discount.GetValueOrDefault(), 0.0) : subtotal;
                return taxable ? taxRate.HasValue ? s1 * (1.0 + taxRate.GetValueOrDefault()) : s1 : s1;
            }
            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Lower_ValueOnNull_ThrowsInvalidOperation()
    {
        var ir = LoweringAssert.LowersExactly((Func<int?, int>)(x => x!.Value + 1));
        Assert.That(IrPrinter.Print(ir), Does.Contain("x.Value"));
    }

    [Test]
    public void Lower_ValueAfterNullGuard_NeedsNoCheck()
    {
        var ir = LoweringAssert.LowersExactly((Func<int?, int>)(x =>
        {
            if (x is null) return -1;
            return x.Value * 2;
        }));
        Assert.That(IrPrinter.Print(ir), Does.Not.Contain(".Value"));
    }

    [Test]
    public void Lower_LiftedOperators_FollowNullSemantics()
    {
        LoweringAssert.LowersExactly((Func<int?, int?, int?>)((a, b) => a + b));
        LoweringAssert.LowersExactly((Func<double?, double?, double?>)((a, b) => a * b - 1.0));
        LoweringAssert.LowersExactly((Func<int?, int, bool>)((a, b) => a > b));
        LoweringAssert.LowersExactly((Func<int?, int?, bool>)((a, b) => a == b));
        LoweringAssert.LowersExactly((Func<double?, bool>)(a => a != 1.5));
        LoweringAssert.LowersExactly((Func<bool?, bool?, bool?>)((a, b) => a & b));
        LoweringAssert.LowersExactly((Func<int?, int?>)(a => -a));
    }

    [Test]
    public void Lower_CoalesceAndGetValueOrDefault_MatchDelegate()
    {
        LoweringAssert.LowersExactly((Func<int?, int>)(a => a ?? 0));
        LoweringAssert.LowersExactly((Func<int?, int>)(a => a ?? 42));
        LoweringAssert.LowersExactly((Func<double?, double?, double>)((a, b) => a ?? b ?? double.NaN));
        LoweringAssert.LowersExactly((Func<long?, long>)(a => a.GetValueOrDefault()));
        LoweringAssert.LowersExactly((Func<long?, long>)(a => a.GetValueOrDefault(-5)));
        LoweringAssert.LowersExactly((Func<string?, string>)(s => s ?? "none"));
    }

    [Test]
    public void Lower_NullablePatterns_MatchDelegate()
    {
        LoweringAssert.LowersExactly((Func<int?, bool>)(x => x is > 0 and < 10));
        LoweringAssert.LowersExactly((Func<int?, bool>)(x => x is null or 0));
        LoweringAssert.LowersExactly((Func<double?, double>)(x => x is { } v ? v : -1));
        LoweringAssert.LowersExactly((Func<int?, int?>)(x => x.HasValue ? x * 2 : null));
    }

    [Test]
    public void Lower_NullableResult_WrapsValues()
    {
        LoweringAssert.LowersExactly((Func<double, double?>)(x => x > 0 ? Math.Sqrt(x) : null));
        LoweringAssert.LowersExactly((Func<int, int?>)(x => x));
    }

    [Test]
    public void Lower_StringNullTests_MatchDelegate()
    {
        LoweringAssert.LowersExactly((Func<string?, bool>)(s => s is null));
        LoweringAssert.LowersExactly((Func<string?, string?, bool>)((s, t) => (object?)s == t));
        LoweringAssert.LowersExactly((Func<string?, int>)(s => s != null ? 1 : 0));
    }
}

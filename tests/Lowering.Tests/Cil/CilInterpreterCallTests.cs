using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

[TestFixture]
public sealed class CilInterpreterCallTests
{
    private static double Clamp01(double x) => x < 0 ? 0 : x > 1 ? 1 : x;

    private static int Sign(int x)
    {
        if (x > 0) return 1;
        if (x < 0) return -1;
        return 0;
    }

    [Test]
    public void Lower_StaticHelpers_AreInlined()
    {
        var ir = LoweringAssert.LowersExactly((Func<double, double, double>)((a, b) => Clamp01(a) * Clamp01(b)));
        Assert.That(Dsl.Lowering.Ir.IrPrinter.Print(ir), Does.Not.Contain("Clamp01"));
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, b) => Sign(a) + Sign(b) * 10));
    }

    [Test]
    public void Lower_LocalFunction_IsInlined()
    {
        static int Square(int v) => v * v;
        LoweringAssert.LowersExactly((Func<int, int>)(x => Square(x) + Square(x + 1)));
    }

    [Test]
    public void Lower_CapturedVariable_IsReadAtEvaluationTime()
    {
        var threshold = 10.0;
        Func<double, bool> above = x => x > threshold;
        var result = Lowerer.Lower(above);
        Assert.That(result.Succeeded, Is.True, () => result.Fallback!.ToString());
        var compiled = (Func<double, bool>)result.Ir!.Compile();
        Assert.That(compiled(11), Is.True);
        threshold = 20;
        Assert.That(compiled(11), Is.EqualTo(above(11)));
        Assert.That(compiled(11), Is.False);
    }

    [Test]
    public void Lower_StaticMethodInfo_LowersWithParameterNames()
    {
        var method = typeof(CilInterpreterCallTests).GetMethod(nameof(Sign), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var result = Lowerer.Lower(method, null);
        Assert.That(result.Succeeded, Is.True, () => result.Fallback!.ToString());
        Assert.That(result.Ir!.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "x" }));
        Assert.That(result.Ir.ReturnType, Is.EqualTo(typeof(int)));
    }

    [Test]
    public void Lower_MathIntrinsics_MatchDelegate()
    {
        LoweringAssert.LowersExactly((Func<double, double, double>)((a, b) => Math.Max(a, b) - Math.Min(a, b)));
        LoweringAssert.LowersExactly((Func<double, double>)(a => Math.Sqrt(Math.Abs(a))));
        LoweringAssert.LowersExactly((Func<int, int>)(a => Math.Abs(a)));
    }
}

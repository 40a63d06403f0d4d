using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.TestSupport;

namespace Dsl.Lowering.Tests.Support;

/// <summary>Assertions shared by the lowering tests.</summary>
internal static class LoweringAssert
{
    /// <summary>Lowers <paramref name="function"/>, requires success, checks it against the delegate on edge rows, returns the IR.</summary>
    public static LambdaExpression LowersExactly(Delegate function, LoweringOptions? options = null)
    {
        var result = Lowerer.Lower(function, options);
        Assert.That(result.Succeeded, Is.True, () => $"fell back: {result.Fallback}");
        TestContext.Out.WriteLine(IrPrinter.Print(result.Ir!));
        ScalarDifferential.AssertEquivalent(function, result.Ir!);
        return result.Ir!;
    }

    /// <summary>
    /// <see cref="LowersExactly"/>, then the FsCheck differential of <see cref="DifferentialCheck"/> on 200 generated rows
    /// (nulls, NaN, ±Infinity, ±0, extremes, empty and non-ASCII strings, empty arrays); returns the printed IR.
    /// </summary>
    public static string LowersExactlyOnGeneratedRows(Delegate function)
    {
        var ir = LowersExactly(function);
        DifferentialCheck.Run(TestContext.CurrentContext.Test.Name, function, ScalarCompiler.Compile(ir));
        return IrPrinter.Print(ir);
    }

    /// <summary>Lowers <paramref name="function"/> and requires a fallback with <paramref name="construct"/>.</summary>
    public static FallbackReason FallsBack(Delegate function, string construct, LoweringOptions? options = null)
    {
        var result = Lowerer.Lower(function, options);
        Assert.That(result.Succeeded, Is.False, () => $"lowered to {IrPrinter.Print(result.Ir!)}");
        TestContext.Out.WriteLine(result.Fallback!.ToString());
        Assert.That(result.Fallback!.Construct, Is.EqualTo(construct), () => result.Fallback.ToString());
        return result.Fallback;
    }
}

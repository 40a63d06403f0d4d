using System.Linq.Expressions;
using Dsl.Lowering.Ir;

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

using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;
using Dsl.Lowering;

namespace Dsl.Codegen.Tests.Compilation;

/// <summary>The reference example end to end: C# method → Lowerer → kernel, against calling the method.</summary>
[TestFixture]
public sealed class LoweredReferenceExampleTests
{
    private static readonly IArrowType[] s_inputs = [DoubleType.Default, DoubleType.Default, DoubleType.Default, BooleanType.Default];

    [TestCase(256)]
    [TestCase(512)]
    public void Kernel_OfLoweredTotal_IsVectorizedAndEqualsTheMethod(int bits)
    {
        Func<double, double?, double?, bool, double?> total = IrCases.Total;
        var lowered = Lowerer.Lower(total);
        Assert.That(lowered.Succeeded, Is.True, lowered.Fallback?.ToString());
        var kernel = KernelCompiler.Compile(lowered.Ir!, s_inputs, new KernelOptions { VectorBits = bits });
        Assert.That(kernel.IsVectorized, Is.True, kernel.Text.Split('\n')[0]);
        Batches.Check(s_inputs, 30, batch =>
        {
            var actual = KernelHarness.Run(kernel, s_inputs, batch.Columns, batch.Length, batch.Offset, batch.AlwaysBitmap, batch.RangeRows, batch.Parallel);
            KernelHarness.AssertSame(KernelHarness.Reference(total, batch.Columns, batch.Length), actual, "lowered Total");
        });
    }
}

using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;

namespace Dsl.Codegen.Tests.Scalar;

[TestFixture]
public sealed class RowLoopGeneratorTests
{
    private static readonly KernelOptions s_rowLoop = new() { Vectorize = false };

    private static IEnumerable<string> Cases() => IrCases.All().Select(c => c.Name);

    [TestCaseSource(nameof(Cases))]
    public void Kernel_GeneratedBatches_EqualsScalarIrAndOriginal(string name)
    {
        var @case = IrCases.Named(name);
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs, s_rowLoop);
        Assert.That(kernel.IsVectorized, Is.False);
        var scalar = @case.Ir.Compile();
        Batches.Check(@case.Inputs, 40, batch =>
        {
            var actual = KernelHarness.Run(kernel, @case.Inputs, batch.Columns, batch.Length, batch.Offset, batch.AlwaysBitmap, batch.RangeRows, batch.Parallel);
            KernelHarness.AssertSame(KernelHarness.Reference(scalar, batch.Columns, batch.Length), actual, $"{@case.Name} vs scalar IR");
            if (@case.Original is { } original)
            {
                KernelHarness.AssertSame(KernelHarness.Reference(original, batch.Columns, batch.Length), actual, $"{@case.Name} vs original");
            }
        });
    }
}

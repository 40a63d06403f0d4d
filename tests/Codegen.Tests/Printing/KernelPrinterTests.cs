using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;

namespace Dsl.Codegen.Tests.Printing;

[TestFixture]
public sealed class KernelPrinterTests
{
    [Test]
    public void Print_RowLoopKernelOfReferenceExample_ShowsLoopReadsAndBody()
    {
        var kernel = KernelCompiler.Compile(IrCases.TotalIr(), [DoubleType.Default, DoubleType.Default, DoubleType.Default, BooleanType.Default], new KernelOptions { Vectorize = false });
        Assert.That(kernel.Text, Does.Contain("void RowLoopKernel(KernelFrame frame, int start, int end)")
            .And.Contain("loop").And.Contain("Math.Max(").And.Contain("catch (Exception exception)")
            .And.Contain("NativeAccess.Read<double>(subtotalColumnValues, row)"));
    }

    [Test]
    public void Print_SharedNode_PrintsItOnceAndThenByNumber()
    {
        var x = System.Linq.Expressions.Expression.Parameter(typeof(double), "x");
        var shared = System.Linq.Expressions.Expression.Call(typeof(Math), nameof(Math.Sqrt), null, x);
        var lambda = System.Linq.Expressions.Expression.Lambda<Func<double, double>>(System.Linq.Expressions.Expression.Add(shared, shared), x);
        Assert.That(Dsl.Codegen.Printing.KernelPrinter.Print(lambda), Does.Contain("(#1=(Math.Sqrt(x)) + #1)"));
    }
}

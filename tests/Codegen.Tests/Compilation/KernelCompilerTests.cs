using System.Linq.Expressions;
using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;

namespace Dsl.Codegen.Tests.Compilation;

[TestFixture]
public sealed class KernelCompilerTests
{
    private static readonly IArrowType[] s_totalInputs = [DoubleType.Default, DoubleType.Default, DoubleType.Default, BooleanType.Default];

    [Test]
    public void Compile_StructurallyEqualIrTwice_ReturnsTheCachedKernel()
    {
        var first = KernelCompiler.Compile(IrCases.TotalIr(), s_totalInputs);
        var second = KernelCompiler.Compile(IrCases.TotalIr(), s_totalInputs);
        Assert.That(second, Is.SameAs(first));
    }

    [Test]
    public void Compile_ConstantsDifferOnlyInSignOfZero_CompilesTwoKernels()
    {
        Expression<Func<double, double>> plusZero = x => x * 0.0;
        Expression<Func<double, double>> minusZero = x => x * -0.0;
        var a = KernelCompiler.Compile(plusZero, [DoubleType.Default]);
        var b = KernelCompiler.Compile(minusZero, [DoubleType.Default]);
        Assert.That(b, Is.Not.SameAs(a));
    }

    [Test]
    public void Compile_OtherInputTypes_CompilesAnotherKernel()
    {
        Expression<Func<string, int>> length = s => s.Length;
        var utf8 = KernelCompiler.Compile(length, [StringType.Default]);
        var large = KernelCompiler.Compile(length, [LargeStringType.Default]);
        Assert.That(large, Is.Not.SameAs(utf8));
    }

    [Test]
    public void Compile_ColumnOfAnotherType_ThrowsNamingParameterAndBothTypes()
    {
        Expression<Func<double, double>> twice = price => price * 2;
        var error = Assert.Throws<ArgumentException>(() => KernelCompiler.Compile(twice, [StringType.Default]));
        Assert.That(error!.Message, Does.Contain("'price'").And.Contain("utf8").And.Contain("Double"));
    }

    [Test]
    public void Compile_WrongNumberOfInputs_Throws()
    {
        Expression<Func<double, double>> twice = x => x * 2;
        Assert.Throws<ArgumentException>(() => KernelCompiler.Compile(twice, [DoubleType.Default, DoubleType.Default]));
    }

    [Test]
    public void Compile_ResultWithoutArrowType_ThrowsNotSupported()
    {
        Expression<Func<double, Half>> half = x => (Half)x;
        Assert.Throws<NotSupportedException>(() => KernelCompiler.Compile(half, [DoubleType.Default]));
    }

    [Test]
    public void CompileDelegate_ReferenceExample_EqualsCallingTheDelegate()
    {
        Func<double, double?, double?, bool, double?> total = IrCases.Total;
        var kernel = KernelCompiler.CompileDelegate(total, s_totalInputs);
        Batches.Check(s_totalInputs, 20, batch =>
        {
            var actual = KernelHarness.Run(kernel, s_totalInputs, batch.Columns, batch.Length, batch.Offset, batch.AlwaysBitmap, batch.RangeRows, batch.Parallel);
            KernelHarness.AssertSame(KernelHarness.Reference(total, batch.Columns, batch.Length), actual, "delegate kernel");
        });
    }

    [Test]
    public void CompileDelegate_ThrowingDelegate_RecordsTheDelegatesOwnException()
    {
        Func<int, int> fails = x => x > 2 ? throw new InvalidOperationException("too big " + x) : x;
        var kernel = KernelCompiler.CompileDelegate(fails, [Int32Type.Default]);
        var outcome = KernelHarness.Run(kernel, [Int32Type.Default], [[1, 3, null, 2, 5]], 5);
        Assert.That(outcome.Values, Is.EqualTo(new object?[] { 1, null, null, 2, null }));
        Assert.That(outcome.Errors, Is.EqualTo(new[]
        {
            new KernelRowError(1, "System.InvalidOperationException", "too big 3"),
            new KernelRowError(4, "System.InvalidOperationException", "too big 5"),
        }));
    }

    [Test]
    public void Run_RangePastTheFrame_ThrowsBeforeReadingAnything()
    {
        Expression<Func<double, double>> twice = x => x * 2;
        var kernel = KernelCompiler.Compile(twice, [DoubleType.Default]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KernelHarness.Run(kernel, [DoubleType.Default], [[1.0, 2.0]], 2, rangeRows: 0, seed: 0, offset: 0, alwaysBitmap: false, parallel: false, runExtra: (3, 1)));
        Assert.That(error!.Message, Does.Contain("[3, 3+1)"));
    }
}

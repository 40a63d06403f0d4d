using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;

namespace Dsl.Codegen.Tests.Vector;

[TestFixture]
public sealed class VectorKernelGeneratorTests
{
    /// <summary>
    /// Cases the vector generator must accept (the rest may fall back to the row loop). Floating → integer
    /// conversions (ConvertDoubleToLong, FloatingToIntegers, NarrowToByte) run in the row loop: their per-lane
    /// vector form made the JIT emit an instruction this machine faults on (FloatingToIntegerLaneTests in Runtime.Tests).
    /// </summary>
    private static readonly HashSet<string> s_mustVectorize =
    [
        "Total", "TotalWithAssignment", "SharedFailingConditional", "IntDivide", "GuardedDivide", "ThrowingArm", "CheckedAddInt", "CheckedAddUnsigned",
        "LiftedEquality",
        "LiftedToNullCompare", "NestedFailingArms", "CoalesceChain", "SwitchLike", "ConvertLongToDouble",
        "FloatValue", "BoolLogic", "UnsignedModulo", "MathMinMaxAbs", "NullableValue", "LiftedAdd", "Coalesce", "MathCalls", "Modulo",
        "Float", "SmallInts", "Unsigned", "UnsignedDivide", "Bools", "LiftedBoolAnd",
        "MixedIntDouble", "MixedFloatDouble", "MixedIntLong", "MixedUnsigned", "IntegersToFloating", "IntegersToFloat",
        "SmallIntsWide", "NarrowToShort", "SmallMax", "SmallSelect", "KleeneLogic", "KleeneWithCompare", "LiftedMixedMultiply",
        "DatePlusDuration", "TimestampSeconds", "TimestampParts", "DurationHours", "TimestampCompare", "TimestampElapsed", "DurationSum", "TimestampMinusDuration",
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from name in IrCases.All().Select(c => c.Name)
        from bits in new[] { 256, 512 }
        select new TestCaseData(name, bits).SetArgDisplayNames(name, bits.ToString());

    [TestCaseSource(nameof(Cases))]
    public void Kernel_GeneratedBatches_EqualsScalarIr(string name, int bits)
    {
        var @case = IrCases.Named(name);
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs, new KernelOptions { VectorBits = bits });
        if (s_mustVectorize.Contains(name)) Assert.That(kernel.IsVectorized, Is.True, kernel.Text.Split('\n')[0]);
        if (!kernel.IsVectorized) return;
        var scalar = @case.Ir.Compile();
        Batches.Check(@case.Inputs, 40, batch =>
        {
            var actual = KernelHarness.Run(kernel, @case.Inputs, batch.Columns, batch.Length, batch.Offset, batch.AlwaysBitmap, batch.RangeRows, batch.Parallel);
            KernelHarness.AssertSame(KernelHarness.Reference(scalar, batch.Columns, batch.Length), actual, $"{name} ({bits}) vs scalar IR");
        });
    }

    [Test]
    public void Kernel_FailingArmOnOtherLanes_ReportsOnlyTheLanesThatTakeIt()
    {
        var @case = IrCases.Named("GuardedDivide");
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        Assert.That(kernel.IsVectorized, Is.True);
        var a = Enumerable.Range(0, 40).Select(i => (object?)(i + 1)).ToArray();
        var b = Enumerable.Range(0, 40).Select(i => (object?)(i % 3)).ToArray();
        var outcome = KernelHarness.Run(kernel, @case.Inputs, [a, b], 40);
        Assert.That(outcome.Errors, Is.Empty);
        Assert.That(outcome.Values[0], Is.EqualTo(-1));
        Assert.That(outcome.Values[1], Is.EqualTo(2));
    }

    [Test]
    public void Kernel_SharedConditionalThatFails_ReportsItsErrorInEveryArmThatUsesIt()
    {
        var @case = IrCases.Named("SharedFailingConditional");
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        Assert.That(kernel.IsVectorized, Is.True);
        // Rows 2 and 5 divide by zero: row 2 through the outer arm (x <= -3.5), row 5 through the inner one (x >= 4.5).
        object?[] a = [1L, 2L, 0L, 3L, 4L, 0L, 5L, 6L];
        object?[] x = [0.0, 10.0, -1e308, 1.0, -7.0, 9.0, 2.0, 3.0];
        var outcome = KernelHarness.Run(kernel, @case.Inputs, [a, x], 8);
        Assert.That(outcome.Values, Is.EqualTo(new object?[] { 2.0, 10.0, null, 2.0, -7.0, null, 2.0, 2.0 }));
        Assert.That(outcome.Errors.Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (2, "System.DivideByZeroException"), (5, "System.DivideByZeroException") }));
    }

    [Test]
    public void Kernel_AThrowingArm_FailsOnlyTheLanesThatTakeIt_WithTheScalarException()
    {
        var @case = IrCases.Named("ThrowingArm");
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        Assert.That(kernel.IsVectorized, Is.True);
        var present = Enumerable.Range(0, 20).Select(i => (object?)(i % 7 != 3)).ToArray();
        var values = Enumerable.Range(0, 20).Select(i => (object?)(i % 7 == 3 ? null : i * 0.5)).ToArray();
        var outcome = KernelHarness.Run(kernel, @case.Inputs, [present, values], 20);
        Assert.That(outcome.Errors.Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { 3, 10, 17 }.Select(r => (r, "System.NullReferenceException"))));
        Assert.That(outcome.Values[4], Is.EqualTo(4.0));
    }

    [Test]
    public void Kernel_IntegerDivisionByZero_RecordsTheScalarError()
    {
        var @case = IrCases.Named("IntDivide");
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        var outcome = KernelHarness.Run(kernel, @case.Inputs, [[7, 7, 7, 7, 7, 7, 7, 7, int.MinValue, 9], [1, 2, 0, 3, 4, 5, 6, 7, -1, 3]], 10);
        Assert.That(outcome.Values, Is.EqualTo(new object?[] { 7, 3, null, 2, 1, 1, 1, 1, null, 3 }));
        Assert.That(outcome.Errors.Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (2, "System.DivideByZeroException"), (8, "System.OverflowException") }));
    }

    [Test]
    public void Compile_StringFeature_FallsBackToRowLoopAndSaysWhy()
    {
        var @case = IrCases.Named("StringLength");
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        Assert.That(kernel.IsVectorized, Is.False);
        Assert.That(kernel.Text, Does.StartWith("// row loop (not vectorized: "));
    }

    [Test]
    public void Compile_ReferenceExample_PrintsVectorLoopAndScalarPath()
    {
        var kernel = KernelCompiler.Compile(IrCases.TotalIr(), [DoubleType.Default, DoubleType.Default, DoubleType.Default, BooleanType.Default]);
        Assert.That(kernel.Text, Does.Contain("void VectorKernel256(").And.Contain("Vector256.ConditionalSelect").And.Contain("// scalar path"));
    }

    [Test]
    public void Compile_FastMath_UsesVectorExpOnlyWhenAskedAndStaysClose()
    {
        System.Linq.Expressions.Expression<Func<double, double>> growth = x => Math.Exp(x / 100);
        var exact = KernelCompiler.Compile(growth, [DoubleType.Default]);
        var fast = KernelCompiler.Compile(growth, [DoubleType.Default], new KernelOptions { FastMath = true });
        Assert.That(exact.Text, Does.Not.Contain("Vector256.Exp("));
        Assert.That(fast.Text, Does.Contain("Vector256.Exp("));
        var inputs = Enumerable.Range(-500, 1000).Select(i => (object?)(double)i).ToArray();
        var approximate = KernelHarness.Run(fast, [DoubleType.Default], [inputs], inputs.Length);
        for (int row = 0; row < inputs.Length; row++)
        {
            Assert.That((double)approximate.Values[row]!, Is.EqualTo(Math.Exp((double)inputs[row]! / 100)).Within(1e-12).Percent);
        }
    }

    [Test]
    public void Compile_IntTimesDouble_WidensInVectorsWithoutPerLaneConversions()
    {
        var @case = IrCases.Named("MixedIntDouble");
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        var vectorPart = kernel.Text[..kernel.Text.IndexOf("// scalar path", StringComparison.Ordinal)];
        Assert.That(vectorPart, Does.Contain("Vector256.ConvertToDouble(VectorAccess.Widen(").And.Contain("Vector128<int>").And.Not.Contain("GetElement"));
        Assert.That(vectorPart, Does.Contain("i += 4L"), "an int and a double column are processed 4 rows per Vector256 of doubles");
    }

    [Test]
    public void Kernel_IntegersAroundTwoTo53_ConvertAsTheScalarCast()
    {
        var @case = IrCases.Named("IntegersToFloating");
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        Assert.That(kernel.IsVectorized, Is.True);
        object?[] longs = [(1L << 53) + 1, (1L << 53) - 1, -(1L << 53) - 1, long.MaxValue, long.MinValue, (1L << 62) + 3, long.MaxValue - 511, -1L, 0L];
        object?[] ints = [int.MaxValue, int.MinValue, 16_777_217, -16_777_217, -1, 0, 1, 123_456_789, int.MaxValue - 64];
        var actual = KernelHarness.Run(kernel, @case.Inputs, [longs, ints], longs.Length);
        KernelHarness.AssertSame(KernelHarness.Reference(@case.Original!, [longs, ints], longs.Length), actual, "IntegersToFloating edges");
    }

    [Test]
    public void Kernel_NullableBoolAndOr_FollowThreeValuedLogic()
    {
        System.Linq.Expressions.Expression<Func<bool?, bool?, bool?>> and = (a, b) => a & b;
        System.Linq.Expressions.Expression<Func<bool?, bool?, bool?>> or = (a, b) => a | b;
        bool?[] values = [true, false, null];
        // Every pair twice over 18 rows, so each pair lands in a whole vector block at least once.
        var left = (from repeat in new[] { 0, 1 } from a in values from b in values select (object?)a).ToArray();
        var right = (from repeat in new[] { 0, 1 } from a in values from b in values select (object?)b).ToArray();
        foreach (var ir in new[] { and, or })
        {
            var kernel = KernelCompiler.Compile(ir, [IrCases.Bool, IrCases.Bool]);
            Assert.That(kernel.IsVectorized, Is.True, kernel.Text.Split('\n')[0]);
            var actual = KernelHarness.Run(kernel, [IrCases.Bool, IrCases.Bool], [left, right], left.Length);
            var expected = left.Zip(right, (a, b) => (object?)ir.Compile()((bool?)a, (bool?)b)).ToArray();
            Assert.That(actual.Values, Is.EqualTo(expected), ir.ToString());
        }
    }
}

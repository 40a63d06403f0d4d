using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

/// <summary>Array literals (<c>newarr</c>, element stores, <c>RuntimeHelpers.InitializeArray</c>) and the writes that stay refused.</summary>
[TestFixture]
public sealed class CilInterpreterArrayTests
{
    [Test]
    public void Lower_EmptyArrayLiteral_IsAConstant() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<double, double>)(x => new double[0].Length + x));

    [Test]
    public void Lower_ArrayLiteralFromInitializationData_ReadsItsElements() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<int, double>)(i => new[] { 1.5, -2.0, double.NaN, -0.0 }[i & 3] + new long[] { 1L, -2L, long.MaxValue }.Max()));

    [Test]
    public void Lower_ArrayLiteralWithInputElements_FeedsAnAggregate() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<double, double, double, double>)((a, b, c) => new[] { a, b, c }.Max() + new[] { a, b }.Average()));

    [Test]
    public void Lower_ArrayLiteralIndexedByInput_ThrowsOutOfRangeLikeTheDelegate() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<int, long>)(i => new long[] { 7L, 8L }[i]));

    [Test]
    public void Lower_StringArrayLiteral_JoinsAndConcats() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<string, string, string>)((a, b) => string.Join("-", new[] { a, "x", b }) + string.Concat(new[] { b, a, b, a, "!" })));

    [Test]
    public void Lower_ArrayLiteralInALocalWrittenBeforeAnyRead_UsesTheWrittenValues() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<int, bool, int>)((x, flag) =>
        {
            var values = new int[3];
            values[0] = x;
            if (flag) values[1] = x * 2;
            values[2] = 5;
            return values.Sum();
        }));

    [Test]
    public void Lower_ArrayLiteralThatIsNeverNull_DropsTheNullCheck()
    {
        var ir = LoweringAssert.LowersExactly((Func<double, bool>)(x => new[] { x } != null));
        Assert.That(IrPrinter.Print(ir), Does.Contain("return true;"));
    }

    [Test]
    public void Lower_WriteAfterTheArrayWasRead_FallsBack() =>
        LoweringAssert.FallsBack((Func<int, int>)(x =>
        {
            var values = new int[2];
            var before = values.Sum();
            values[0] = x;
            return before + values.Sum();
        }), "array-write");

    [Test]
    public void Lower_WriteIntoAnInputArray_FallsBack() =>
        LoweringAssert.FallsBack((Func<int[], int>)(xs =>
        {
            xs[0] = 1;
            return xs[0];
        }), "array-write");

    [Test]
    public void Lower_ArrayWithInputLength_FallsBack() =>
        LoweringAssert.FallsBack((Func<int, int>)(n => new int[n].Length), "allocation");

    [Test]
    public void Lower_ReturningAnAllocatedArray_FallsBack() =>
        LoweringAssert.FallsBack((Func<double[], double[]>)(xs => xs.Length > 0 ? xs : new double[0]), "allocation");

    [Test]
    public void Lower_ReferenceComparisonWithAnAllocatedArray_FallsBack() =>
        LoweringAssert.FallsBack((Func<double[], bool>)(xs => xs == new double[0]), "allocation");
}

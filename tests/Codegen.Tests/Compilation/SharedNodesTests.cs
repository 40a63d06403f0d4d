using System.Linq.Expressions;
using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;
using Dsl.TestSupport;

namespace Dsl.Codegen.Tests.Compilation;

[TestFixture]
[NonParallelizable]
public sealed class SharedNodesTests
{
    private static int s_calls;

    public static double Counted(double x)
    {
        Interlocked.Increment(ref s_calls);
        return x + 1;
    }

    [Test]
    public void Kernel_NodeSharedByTwoUses_IsEvaluatedOncePerRow()
    {
        var x = Expression.Parameter(typeof(double), "x");
        var shared = Expression.Call(typeof(SharedNodesTests), nameof(Counted), null, x);
        var ir = Expression.Lambda<Func<double, double>>(Expression.Multiply(shared, shared), x);
        var kernel = KernelCompiler.Compile(ir, [DoubleType.Default], new KernelOptions { Vectorize = false });
        s_calls = 0;
        var outcome = KernelHarness.Run(kernel, [DoubleType.Default], [[1.0, 2.0, null, 3.0]], 4);
        Assert.That(outcome.Values, Is.EqualTo(new object?[] { 4.0, 9.0, null, 16.0 }));
        Assert.That(s_calls, Is.EqualTo(3));
    }

    [Test]
    public void Kernel_SharedNodeOnlyInUntakenArm_IsNotEvaluated()
    {
        var x = Expression.Parameter(typeof(int), "x");
        var y = Expression.Parameter(typeof(int), "y");
        var quotient = Expression.Divide(x, y);
        var ir = Expression.Lambda<Func<int, int, int>>(
            Expression.Condition(Expression.NotEqual(y, Expression.Constant(0)), Expression.Add(quotient, quotient), Expression.Constant(-1)), x, y);
        var kernel = KernelCompiler.Compile(ir, [Int32Type.Default, Int32Type.Default], new KernelOptions { Vectorize = false });
        var outcome = KernelHarness.Run(kernel, [Int32Type.Default, Int32Type.Default], [[6, 6], [3, 0]], 2);
        Assert.That(outcome.Values, Is.EqualTo(new object?[] { 4, -1 }));
        Assert.That(outcome.Errors, Is.Empty);
    }

    [Test]
    public void Memoize_NodeReadingAnAssignedParameter_IsLeftAlone()
    {
        var x = Expression.Parameter(typeof(double), "x");
        var shared = Expression.Add(x, Expression.Constant(1.0));
        var body = Expression.Block(Expression.Assign(x, shared), shared);
        var result = SharedNodes.Memoize(body, [x]);
        Assert.That(result.Values, Is.Empty);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Kernel_SixtyLevelChainEachLevelSharedTwice_CompilesPrintsAndMatchesTheDelegate(bool vectorize)
    {
        // A tree walk of this IR visits 2^60 nodes; every codegen pass must take each shared node once.
        var ir = DeepSharing.Lambda();
        var column = new object?[] { 1.0, 0.5, null, double.NaN, -0.0, 3.0, 2.9999999, double.PositiveInfinity };

        var kernel = DeepSharing.FinishesInTime(() => KernelCompiler.Compile(ir, [DoubleType.Default], new KernelOptions { Vectorize = vectorize }));
        var outcome = DeepSharing.FinishesInTime(() => KernelHarness.Run(kernel, [DoubleType.Default], [column], column.Length));

        Assert.That(kernel.Text, Is.Not.Empty);
        KernelHarness.AssertSame(KernelHarness.Reference(DeepSharing.Evaluate, [column], column.Length), outcome, $"vectorize={vectorize}");
    }
}

using System.Linq.Expressions;
using Dsl.Codegen.Compilation;

namespace Dsl.Codegen.Tests.Compilation;

public sealed class ExpandedSizeTests
{
    [Test]
    public void Of_Tree_CountsEveryNode()
    {
        var x = Expression.Parameter(typeof(double), "x");
        var tree = Expression.Add(Expression.Multiply(x, Expression.Constant(2.0)), Expression.Constant(1.0));

        Assert.That(ExpandedSize.Of(tree), Is.EqualTo(5));
    }

    [Test]
    public void Of_SharedChain_CountsEachUseAsTheCompilerEmitsIt()
    {
        // level k = level(k-1) + level(k-1): 2^(k+1) - 1 nodes when expanded, k+1 node objects.
        var x = Expression.Parameter(typeof(double), "x");
        Expression level = x;
        for (int k = 0; k < 80; k++) level = Expression.Add(level, level);

        Assert.That(ExpandedSize.Of(level), Is.EqualTo(Math.Pow(2, 81) - 1));
    }

    [Test]
    public void CheckExpandedSize_BeyondTheLimit_ThrowsNotSupportedNamingTheReason()
    {
        var x = Expression.Parameter(typeof(double), "x");
        Expression level = x;
        for (int k = 0; k < 20; k++) level = Expression.Add(level, level);

        Assert.That(() => KernelCompiler.CheckExpandedSize(level),
            Throws.TypeOf<NotSupportedException>().With.Message.StartsWith("ir-too-large"));
        Assert.That(() => KernelCompiler.CheckExpandedSize(Expression.Add(x, x)), Throws.Nothing);
    }
}

using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;

namespace Dsl.Codegen.Tests.Scalar;

[TestFixture]
public sealed class ListRewriterTests
{
    [TestCase("AggregateSum")]
    [TestCase("AggregateMaxFiltered")]
    [TestCase("AggregateAverageSelected")]
    [TestCase("AggregateAnyStrings")]
    [TestCase("ArrayLoop")]
    [TestCase("ListIndex")]
    public void Compile_ListOnlyIndexedAndMeasured_ReadsOffsetsWithoutCreatingArrays(string name)
    {
        var @case = IrCases.Named(name);
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        Assert.That(kernel.Text, Does.Not.Contain("NewArrayBounds").And.Not.Contain("new double[").And.Not.Contain("new long[").And.Not.Contain("new int[").And.Not.Contain("new string["));
    }

    [Test]
    public void Compile_ListPassedToAMethod_IsMaterialised()
    {
        var kernel = KernelCompiler.Compile(IrCases.Named("ListSum").Ir, IrCases.Named("ListSum").Inputs);
        Assert.That(kernel.Text, Does.Contain("new double["));
    }
}

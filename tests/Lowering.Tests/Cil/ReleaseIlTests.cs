using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport.Roslyn;

namespace Dsl.Lowering.Tests.Cil;

/// <summary>The same constructs compiled by Roslyn in Release (optimised IL: no locals for temporaries, different branch shapes).</summary>
[TestFixture]
public sealed class ReleaseIlTests
{
    private const string Resolver = """
        (double subtotal, double? discount, double? taxRate, bool taxable) =>
        {
            if (discount is not null) subtotal = Math.Max(subtotal - discount.Value, 0.0);
            if (!taxable || taxRate is null) return subtotal;
            return subtotal * (1.0 + taxRate.Value);
        }
        """;

    [TestCase(true)]
    [TestCase(false)]
    public void Lower_ReferenceResolverFromRoslyn_SharesSubtotalWithoutNullCheck(bool optimize)
    {
        var compiled = CSharpLambda.Compile("Func<double, double?, double?, bool, double>", Resolver, optimize);
        var ir = LoweringAssert.LowersExactly(compiled.Function);
        var text = IrPrinter.Print(ir);
        Assert.That(text, Does.Contain("let s1 = "));
        Assert.That(text, Does.Not.Contain(".Value"));
    }

    [TestCase("Func<int, int, int>", "(int a, int b) => b == 0 ? 0 : a / b")]
    [TestCase("Func<int?, int?, int?>", "(int? a, int? b) => a * b + 1")]
    [TestCase("Func<int, string>", "(int x) => x switch { 0 => \"zero\", 1 => \"one\", 2 => \"two\", 3 => \"three\", _ => \"many\" }")]
    [TestCase("Func<double, bool>", "(double x) => x is > 0 and < 10 or 100")]
    [TestCase("Func<long, long>", "(long x) => { long t = 0; for (int i = 0; i < 8; i++) t += x >> i; return t; }")]
    [TestCase("Func<double?, double>", "(double? x) => x ?? -1.0")]
    [TestCase("Func<uint, uint, bool>", "(uint a, uint b) => a / 3 > b")]
    public void Lower_ReleaseCompiledLambda_MatchesDelegate(string delegateType, string lambda)
    {
        LoweringAssert.LowersExactly(CSharpLambda.Compile(delegateType, lambda, optimize: true).Function);
    }

    [Test]
    public void Lower_ReleaseFallbackWithPdbBytes_ReportsTheLambdaLine()
    {
        var compiled = CSharpLambda.Compile("Func<int, int>", "(int n) =>\n{\n    var s = 0;\n    while (n > 0) { s += n; n--; }\n    return s;\n}", optimize: true);
        var result = Lowerer.Lower(compiled.Function, new LoweringOptions { PortablePdb = compiled.Pdb });
        Assert.That(result.Fallback?.Construct, Is.EqualTo("loop"));
        Assert.That(result.Fallback!.SourceFile, Is.EqualTo("lambda.cs"));
        Assert.That(result.Fallback.Line, Is.EqualTo(4));
    }
}

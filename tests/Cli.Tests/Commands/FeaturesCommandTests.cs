using Dsl.Cli.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Cli.Tests.Commands;

public sealed class FeaturesCommandTests
{
    [Test]
    public void Features_SampleAssembly_ListsEveryFeatureWithItsVerdict()
    {
        var run = DslTool.Run("features", "--assembly", typeof(Samples.TransactionFeatures).Assembly.Location);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Dsl.Samples.TransactionFeatures (Transaction)"));
        Assert.That(run.Stdout, Does.Match(@"Id\s+long\s+input, primary key"));
        Assert.That(run.Stdout, Does.Match(@"IsExpensive\s+bool\s+_ expression: compiled"));
        Assert.That(run.Stdout, Does.Match(@"Total\s+double\s+resolver: compiled"));
        Assert.That(run.Stdout, Does.Match(@"LargeTaxableTotal\s+bool\s+string expression: (compiled|fallback: .+)"));
    }

    [Test]
    public void Features_SetWithACycle_IsListedWithItsErrorAndExits2()
    {
        using var directory = new TempDirectory();
        var path = CompileUserAssembly(directory, """
            using Dsl;
            public sealed class Loop { public double A { get; set; } public double B { get; set; } public double C { get; set; } }
            public sealed class LoopFeatures : FeatureSet<Loop>
            {
                protected override void Define(FeatureSetBuilder<Loop> f) => f.Define(l => l.A, "b + 1").Define(l => l.B, _ => _.A * 2);
            }
            """);

        var run = DslTool.Run("features", "--assembly", path);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stdout, Does.Contain("LoopFeatures: error: Loop.A: features depend on each other in a cycle: A -> B -> A"));
    }

    [Test]
    public void Features_MissingAssembly_Exits2()
    {
        var run = DslTool.Run("features", "--assembly", "/no/such/Features.dll");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("dsl: cannot read assembly"));
    }

    private static string CompileUserAssembly(TempDirectory directory, string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Append(typeof(FeatureSet).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("UserFeatures", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = directory.File("UserFeatures.dll");
        var result = compilation.Emit(path);
        Assert.That(result.Success, Is.True, string.Join("\n", result.Diagnostics));
        return path;
    }
}

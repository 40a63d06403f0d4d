using System.Text.Json;
using Dsl.Cli.Tests.Support;

namespace Dsl.Cli.Tests.Commands;

[Parallelizable(ParallelScope.All)]
public sealed class InspectCommandTests
{
    private const string Net = "(double subtotal, double? discount) => discount is null ? subtotal : subtotal - discount.Value";

    /// <summary>try/catch is outside what lowering models exactly: it must fall back and say where.</summary>
    private const string WithTryCatch = "(double x) =>\n{\n    try { return Math.Sqrt(x); }\n    catch (Exception) { return 0.0; }\n}";

    private static JsonElement InspectJson(string source)
    {
        var run = DslTool.Run("inspect", "-e", source, "--json");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        return json.RootElement.Clone();
    }

    [Test]
    public void Inspect_Json_CompiledLambda_HasEveryField()
    {
        var root = InspectJson(Net);
        Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("compiled"), root.ToString());
        Assert.That(root.GetProperty("reason").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var parameters = root.GetProperty("parameters").EnumerateArray()
            .Select(p => (p.GetProperty("name").GetString(), p.GetProperty("type").GetString())).ToList();
        Assert.That(parameters, Is.EqualTo(new[] { ("subtotal", "double"), ("discount", "double?") }));
        Assert.That(root.GetProperty("returnType").GetString(), Is.EqualTo("double"));
        Assert.That(root.GetProperty("ir").GetString(), Is.Not.Empty);
        Assert.That(root.GetProperty("kernel").GetString(), Is.Not.Empty);
    }

    [Test]
    public void Inspect_Json_FallbackLambda_GivesReasonWithSourceLineAndNoKernel()
    {
        var root = InspectJson(WithTryCatch);
        Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("fallback"));
        Assert.That(root.GetProperty("reason").GetString(), Does.Match(@"lambda\.cs:\d+"));
        Assert.That(root.GetProperty("kernel").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.GetProperty("returnType").GetString(), Is.EqualTo("double"));
    }

    [Test]
    public void Inspect_Text_ShowsSignatureVerdictIrAndKernel()
    {
        var run = DslTool.Run("inspect", "-e", Net);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("parameters: (double subtotal, double? discount)"));
        Assert.That(run.Stdout, Does.Contain("returns:    double (column double)"));
        Assert.That(run.Stdout, Does.Contain("verdict:    compiled"));
        Assert.That(run.Stdout, Does.Contain("IR:"));
        Assert.That(run.Stdout, Does.Contain("kernel:"));
    }

    [Test]
    public void Inspect_FromFile_ReadsTheLambda()
    {
        using var directory = new TempDirectory();
        var path = directory.File("net.cs");
        File.WriteAllText(path, Net);

        var run = DslTool.Run("inspect", "-f", path, "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("returnType").GetString(), Is.EqualTo("double"));
    }

    [Test]
    public void Inspect_DecimalLambda_ShowsTheDecimal128ResultColumn()
    {
        var text = DslTool.Run("inspect", "-e", "(decimal price, int n) => price * n");
        var json = DslTool.Run("inspect", "-e", "(decimal price, int n) => price * n", "--json");

        Assert.That(text.ExitCode, Is.EqualTo(0), text.ToString());
        Assert.That(text.Stdout, Does.Contain("returns:    decimal (column decimal128(38, 28))"));
        Assert.That(text.Stdout, Does.Contain("verdict:    compiled"));
        Assert.That(JsonDocument.Parse(json.Stdout).RootElement.GetProperty("resultColumnType").GetString(), Is.EqualTo("decimal128(38, 28)"));
    }

    [Test]
    public void Inspect_LambdaThatDoesNotCompile_Exits2WithLineAndColumn()
    {
        var run = DslTool.Run("inspect", "-e", "(double x) =>\n{\n    return x + y;\n}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr.Trim(), Is.EqualTo("dsl: the lambda does not compile: lambda.cs:3:16: error CS0103: The name 'y' does not exist in the current context"));
    }

    [TestCase]
    [TestCase("-e", "(double x) => x", "-f", "x.cs")]
    public void Inspect_NotExactlyOneSource_Exits2(params string[] sources)
    {
        var run = DslTool.Run(["inspect", .. sources]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("exactly one of -e SOURCE or -f PATH"));
    }

    [Test]
    public void Inspect_UnknownOption_Exits2()
    {
        var run = DslTool.Run("inspect", "-e", "(double x) => x", "--jsn");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("dsl: "));
    }
}

using Dsl.Cli.Compilation;

namespace Dsl.Cli.Tests.Compilation;

public sealed class LambdaCompilerTests
{
    [Test]
    public void Compile_ExpressionLambda_GivesTypedDelegate()
    {
        var lambda = LambdaCompiler.Compile("(double subtotal, double? discount) => discount is null ? subtotal : subtotal - discount.Value");

        Assert.That(File.Exists(Path.ChangeExtension(lambda.AssemblyPath, ".pdb")), Is.True, "the PDB sits beside the assembly");
        Assert.That(lambda.Parameters.Select(p => (p.Name, p.Type)), Is.EqualTo(new[] { ("subtotal", typeof(double)), ("discount", typeof(double?)) }));
        Assert.That(lambda.ReturnType, Is.EqualTo(typeof(double)));
        Assert.That(lambda.Function.DynamicInvoke(10.0, 4.0), Is.EqualTo(6.0));
        Assert.That(lambda.Function.DynamicInvoke(10.0, null), Is.EqualTo(10.0));
    }

    [Test]
    public void Compile_StatementLambdaUsingLinqAndCatalogue_Compiles()
    {
        var lambda = LambdaCompiler.Compile("(string email, double score) =>\n{\n    var parts = email.Split('@').ToList();\n    return parts[0].Length + Dsl.F.Clamp(score, 0, 1);\n}");

        Assert.That(lambda.Function.DynamicInvoke("ann@x.com", 5.0), Is.EqualTo(4.0));
        Assert.That(lambda.Method.GetMethodBody(), Is.Not.Null, "an ordinary IL method, not an expression tree");
    }

    [Test]
    public void Compile_UnknownName_ReportsLineAndColumnInTheUsersText()
    {
        var error = Assert.Throws<LambdaCompilationException>(() => LambdaCompiler.Compile("(double x) =>\n{\n    return x + y;\n}"))!;

        Assert.That((error.Line, error.Column, error.Id), Is.EqualTo((3, 16, "CS0103")));
        Assert.That(error.Message, Does.StartWith("lambda.cs:3:16: error CS0103: The name 'y' does not exist"));
    }

    [Test]
    public void Compile_SyntaxError_ReportsItsColumn()
    {
        var error = Assert.Throws<LambdaCompilationException>(() => LambdaCompiler.Compile("(double x) => x +"))!;

        Assert.That(error.Line, Is.EqualTo(1));
        Assert.That(error.Column, Is.EqualTo(18));
    }

    [TestCase("x => x * 2", 1, "parameter 'x' needs an explicit type")]
    [TestCase("(double a, b) => a", 12, "parameter 'b' needs an explicit type")]
    [TestCase("1 + 2", 1, "SOURCE must be one C# lambda")]
    public void Compile_NotATypedLambda_IsAShapeError(string source, int column, string problem)
    {
        var error = Assert.Throws<LambdaCompilationException>(() => LambdaCompiler.Compile(source))!;

        Assert.That(error.Column, Is.EqualTo(column));
        Assert.That(error.Problem, Does.StartWith(problem));
    }
}

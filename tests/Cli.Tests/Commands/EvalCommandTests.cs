using Dsl.Cli.Tests.Support;
using Dsl.TestSupport.Columns;
using static Dsl.Cli.Tests.Support.ArrowFiles;

namespace Dsl.Cli.Tests.Commands;

[Parallelizable(ParallelScope.All)]
public sealed class EvalCommandTests
{
    private const string SummaryPattern = @"^mode=(compiled|fallback) rows=\d+ errors=\d+ ms=\d+(\.\d+)?$";
    private const string Net = "(double subtotal, double? discount) => discount is null ? subtotal : subtotal - discount.Value";

    private static (ToolRun Run, (IReadOnlyList<Apache.Arrow.Field> Fields, IReadOnlyList<object?[]> Columns)? Output) Eval(
        string source, (string, Apache.Arrow.IArrowArray)[] input, params string[] options)
    {
        using var directory = new TempDirectory();
        var inputPath = directory.File("in.arrow");
        var outputPath = directory.File("out.arrow");
        Write(inputPath, input);
        var run = DslTool.Run(["eval", "-e", source, "--input", inputPath, "--output", outputPath, .. options]);
        return (run, run.ExitCode == 0 ? Read(outputPath) : null);
    }

    [Test]
    public void Eval_Auto_WritesResultAndErrorColumnsAndOneSummaryLine()
    {
        var (run, output) = Eval(Net, [("subtotal", Doubles(100, 200, 300, 400)), ("discount", Doubles(10, null, 50, null))]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout.Trim(), Does.Match(SummaryPattern));
        Assert.That(run.Stdout.Trim(), Does.StartWith("mode=compiled rows=4 errors=0 ms="));
        var (fields, columns) = output!.Value;
        Assert.That(fields.Select(f => f.Name), Is.EqualTo(new[] { "result", "error" }));
        Assert.That(fields.Select(TypeName), Is.EqualTo(new[] { "double", "utf8" }));
        Assert.That(columns[0], Is.EqualTo(new object?[] { 90.0, 200.0, 250.0, 400.0 }));
        Assert.That(columns[1], Is.EqualTo(new object?[] { null, null, null, null }));
    }

    [Test]
    public void Eval_RowThatThrows_HasNullResultAndTheExceptionTypeFullName()
    {
        var (run, output) = Eval("(int a, int b) => a / b", [("a", Ints(6, 1, int.MinValue)), ("b", Ints(3, 0, -1))]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout.Trim(), Does.Match(@"^mode=\w+ rows=3 errors=2 ms="));
        var (_, columns) = output!.Value;
        Assert.That(columns[0], Is.EqualTo(new object?[] { 2, null, null }));
        Assert.That(columns[1], Is.EqualTo(new object?[] { null, "System.DivideByZeroException", "System.OverflowException" }));
    }

    [Test]
    public void Eval_NullInNonNullableParameter_GivesNullWithoutCallingOrError()
    {
        var (run, output) = Eval("(double x) => 1.0 / x", [("x", Doubles(2, null, 0))]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(output!.Value.Columns[0], Is.EqualTo(new object?[] { 0.5, null, double.PositiveInfinity }));
        Assert.That(output!.Value.Columns[1], Is.EqualTo(new object?[] { null, null, null }));
    }

    [Test]
    public void Eval_ColumnNamesDifferingInCase_BindCaseInsensitively()
    {
        var (run, output) = Eval(Net, [("Subtotal", Doubles(100)), ("DISCOUNT", Doubles(1))]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(output!.Value.Columns[0], Is.EqualTo(new object?[] { 99.0 }));
    }

    [Test]
    public void Eval_Bind_ReadsTheNamedColumn()
    {
        var (run, output) = Eval("(double x, double y) => x - y", [("a", Doubles(10)), ("b", Doubles(3)), ("x", Doubles(100))],
            "--bind", "x=a", "--bind", "y=b");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(output!.Value.Columns[0], Is.EqualTo(new object?[] { 7.0 }));
    }

    [Test]
    public void Eval_BindCharAndEnumParameters_ReadUInt16AndInt32Columns()
    {
        var units = new Apache.Arrow.UInt16Array.Builder().AppendNullable(new ushort?[] { 'c', 0xD83D, null, 'z' }).Build();
        var (run, output) = Eval("(char c, DayOfWeek day) => day == DayOfWeek.Monday ? c - 'a' : (int)day * 1000",
            [("unit", units), ("weekday", Ints(1, 1, 1, 42))], "--bind", "c=unit", "--bind", "day=weekday");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(output!.Value.Columns[0], Is.EqualTo(new object?[] { 2, 0xD83D - 'a', null, 42_000 }));
    }

    [Test]
    public void Eval_TupleResult_WritesAStructColumn()
    {
        var (run, output) = Eval("(int x) => (100 / x, x > 1)", [("x", Ints(4, 0, null, 50))]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var (fields, columns) = output!.Value;
        Assert.That(TypeName(fields[0]), Is.EqualTo("struct<Item1: int32, Item2: bool>"));
        Assert.That(columns[0], Is.EqualTo(new object?[] { new object?[] { 25, true }, null, null, new object?[] { 2, true } }));
        Assert.That(columns[1], Is.EqualTo(new object?[] { null, "System.DivideByZeroException", null, null }));
    }

    [Test]
    public void Eval_Name_RenamesTheResultColumn()
    {
        var (run, output) = Eval("(string email) => email.Split('@')[0]", [("email", Strings("ann@x.com", null, "bob"))], "--name", "user");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(output!.Value.Fields.Select(f => f.Name), Is.EqualTo(new[] { "user", "error" }));
        Assert.That(output!.Value.Columns[0], Is.EqualTo(new object?[] { "ann", null, "bob" }));
        Assert.That(output!.Value.Columns[1], Is.EqualTo(new object?[] { null, "System.NullReferenceException", null }));
    }

    [Test]
    public void Eval_ModeFallbackWithThreads_RunsRowByRowWithTheSameAnswers()
    {
        var (run, output) = Eval(Net, [("subtotal", Doubles(100, 200)), ("discount", Doubles(10, null))], "--mode", "fallback", "--threads", "2");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout.Trim(), Does.StartWith("mode=fallback rows=2 errors=0 ms="));
        Assert.That(output!.Value.Columns[0], Is.EqualTo(new object?[] { 90.0, 200.0 }));
    }

    [Test]
    public void Eval_ModeCompiledOnALambdaThatCannotLower_Exits3WithTheReason()
    {
        var (run, _) = Eval("(double x) =>\n{\n    try { return Math.Sqrt(x); }\n    catch (Exception) { return 0.0; }\n}", [("x", Doubles(4))], "--mode", "compiled");

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("dsl: the lambda cannot be compiled: "));
    }

    [Test]
    public void Eval_UnknownColumn_Exits2NamingIt()
    {
        var (run, _) = Eval(Net, [("subtotal", Doubles(1)), ("rebate", Doubles(1))]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("'discount'"));
        Assert.That(run.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Eval_ParameterTypeNotMatchingTheColumn_Exits2NamingBoth()
    {
        var (run, _) = Eval("(int subtotal) => subtotal * 2", [("subtotal", Doubles(1.5))]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("'subtotal'"));
        Assert.That(run.Stderr, Does.Contain("int"));
    }

    [Test]
    public void Eval_BindToAParameterTheLambdaLacks_Exits2()
    {
        var (run, _) = Eval(Net, [("subtotal", Doubles(1)), ("discount", Doubles(1))], "--bind", "rebate=discount");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("rebate"));
    }

    [Test]
    public void Eval_UnreadableInput_Exits2NamingTheFile()
    {
        using var directory = new TempDirectory();
        var input = directory.File("not-arrow.arrow");
        File.WriteAllText(input, "this is not Arrow");

        var run = DslTool.Run("eval", "-e", Net, "--input", input, "--output", directory.File("out.arrow"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.StartWith($"dsl: cannot read input '{input}'"));
    }

    [Test]
    public void Eval_StreamFormatInput_IsRead()
    {
        using var directory = new TempDirectory();
        var input = directory.File("in.arrows");
        Write(input, stream: true, ("x", Doubles(1, 2)));

        var run = DslTool.Run("eval", "-e", "(double x) => x + 1", "--input", input, "--output", directory.File("out.arrow"));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Read(directory.File("out.arrow")).Columns[0], Is.EqualTo(new object?[] { 2.0, 3.0 }));
    }

    [Test]
    public void Eval_LambdaThatDoesNotCompile_Exits2WithLineAndColumn()
    {
        var (run, _) = Eval("(double x) => x +* 2", [("x", Doubles(1))]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Match(@"^dsl: the lambda does not compile: lambda\.cs:1:\d+: error CS\d+"));
    }

    [Test]
    public void Eval_DecimalColumn_ComputesExactlyIntoADecimal128ResultWithOverflowRowErrors()
    {
        var prices = Dsl.TestSupport.Columns.TestArrays.Array(new Apache.Arrow.Types.Decimal128Type(12, 2), [19.99m, null, -0.01m, 9_999_999_999.99m]);

        var (run, output) = Eval("(decimal price, int n) => price * n / 3", [("price", prices), ("n", Ints(3, 1, 1, 4))]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout.Trim(), Does.StartWith("mode=compiled rows=4 errors=1 "));
        var (fields, columns) = output!.Value;
        Assert.That(TypeName(fields[0]), Is.EqualTo("decimal128(38, 28)"));
        Assert.That(columns[0], Is.EqualTo(new object?[] { 19.99m, null, -0.01m / 3, null }));
        Assert.That(columns[1], Is.EqualTo(new object?[] { null, null, null, "System.OverflowException" }));
    }

    [TestCase("in.parquet", "out.parquet", "none")]
    [TestCase("in.arrow", "out.parquet", "none")]
    [TestCase("in.parquet", "out.arrow", "zstd")]
    [TestCase("in.arrows", "out.arrows", "lz4")]
    [TestCase("in.arrow", "out.arrow", "lz4")]
    public void Eval_ParquetAndCompressedIpc_ReadAndWriteTheSameResults(string inputName, string outputName, string compression)
    {
        using var directory = new TempDirectory();
        var inputPath = directory.File(inputName);
        var outputPath = directory.File(outputName);
        var format = Runtime.Files.BatchFiles.FormatForExtension(inputPath);
        var inputCompression = compression == "lz4" ? ArrowExtensions.Ipc.ArrowCompression.Lz4 : ArrowExtensions.Ipc.ArrowCompression.None;
        Write(inputPath, format, inputCompression, ("subtotal", Doubles(100, 200, 300, 400)), ("discount", Doubles(10, null, 50, null)));

        var run = DslTool.Run(["eval", "-e", Net, "--input", inputPath, "--output", outputPath, "--compression", compression]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Runtime.Files.BatchFiles.FormatOf(outputPath), Is.EqualTo(Runtime.Files.BatchFiles.FormatForExtension(outputPath)));
        var (fields, columns) = Read(outputPath);
        Assert.That(fields.Select(f => f.Name), Is.EqualTo(new[] { "result", "error" }));
        Assert.That(columns[0], Is.EqualTo(new object?[] { 90.0, 200.0, 250.0, 400.0 }));
        Assert.That(columns[1], Is.EqualTo(new object?[] { null, null, null, null }));
    }

    [Test]
    public void Eval_MalformedBatch_Exits2NamingTheColumnAndRule()
    {
        using var directory = new TempDirectory();
        var inputPath = directory.File("in.arrow");
        // A string column whose last offset points past its data: Apache.Arrow's GetString would read out of bounds.
        var offsets = new Apache.Arrow.ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new[] { 0, 1, 1000 }.AsSpan()).ToArray());
        var bad = new Apache.Arrow.StringArray(new Apache.Arrow.ArrayData(Apache.Arrow.Types.StringType.Default, 2, 0, 0,
            [Apache.Arrow.ArrowBuffer.Empty, offsets, new Apache.Arrow.ArrowBuffer(new byte[] { (byte)'a' })]));
        Write(inputPath, ("s", bad));

        var run = DslTool.Run(["eval", "-e", "(string s) => s.Length", "--input", inputPath, "--output", directory.File("out.arrow")]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("'s'").And.Contain("offsets-bound"));
    }

    [TestCase("(double x) => { }", "the lambda returns nothing")]
    [TestCase("(double x) => (Half)x", "the lambda returns Half, which has no Arrow column type")]
    public void Eval_LambdaWithoutAnArrowResult_Exits2(string source, string problem)
    {
        var (run, _) = Eval(source, [("x", Doubles(1))]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain(problem));
    }
}

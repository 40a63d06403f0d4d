using BenchmarkDotNet.Attributes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Codegen;
using Dsl.Codegen.Compilation;
using Dsl.Lowering;

namespace Dsl.Bench.Codegen;

/// <summary>
/// W3 of the side-by-side benchmark, the e-mail user name resolver, over 1,000,000 utf8 rows (single thread):
/// the generated row loop on the UTF-8 path (split part, ordinal EndsWith, Replace and invariant lower case on
/// slices and a per-row arena: no string per row) against the fallback executor's row loop, which decodes each
/// row to a string and calls the method (the baseline). The memory diagnoser shows allocation per operation:
/// the compiled kernel's is its output range (about 12 bytes a row), the baseline's adds the strings and arrays.
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class UserNameKernelBenchmarks
{
    private const int Rows = 1_000_000;
    private static readonly string[] s_domains = ["gmail.com", "example.org", "mail.de", "yahoo.co.jp", "corp.example.com", "outlook.com"];
    private StringArray _emails = null!;
    private OutputColumn _output = null!;
    private KernelFrame _frame = null!;
    private IKernel _compiled = null!;
    private IKernel _rowByRow = null!;

    /// <summary>The resolver as users write it.</summary>
    public static string UserName(string email)
    {
        var user = email.Split('@')[0];
        if (email.EndsWith("@gmail.com", StringComparison.Ordinal)) user = user.Split('+')[0].Replace(".", "");
        return user.ToLowerInvariant();
    }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var builder = new StringArray.Builder();
        for (int i = 0; i < Rows; i++)
        {
            string first = random.Next(20) == 0 ? "Jürgen" : "John";
            string tag = random.Next(3) == 0 ? $"+news{random.Next(100)}" : "";
            builder.Append($"{first}.Doe{random.Next(10_000)}{tag}@{s_domains[random.Next(s_domains.Length)]}");
        }

        _emails = builder.Build();
        Func<string, string> userName = UserName;
        IArrowType[] types = [StringType.Default];
        var lowered = Lowerer.Lower(userName);
        if (!lowered.Succeeded) throw new InvalidOperationException($"W3 did not lower: {lowered.Fallback}");
        _compiled = KernelCompiler.Compile(lowered.Ir!, types);
        if (_compiled.Text.Contains("ReadUtf8String(", StringComparison.Ordinal) || _compiled.Text.Contains("ToStringOrNull", StringComparison.Ordinal))
            throw new InvalidOperationException("W3 did not compile to the UTF-8 path:\n" + _compiled.Text);
        _rowByRow = KernelCompiler.CompileDelegate(userName, types);
        _output = OutputColumn.Create(_compiled.OutputType, Rows);
        _frame = new KernelFrame([_emails], _output, new RowErrorSink());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _frame.Dispose();
        _output.Dispose();
        _emails.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void RowByRowDelegate() => _rowByRow.Run(_frame, 0, Rows);

    [Benchmark]
    public void CompiledUtf8() => _compiled.Run(_frame, 0, Rows);
}

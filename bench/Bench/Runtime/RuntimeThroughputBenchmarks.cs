using BenchmarkDotNet.Attributes;
using Dsl.Arrow;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>
/// The reference <c>Total</c> resolver over the reference batch, single thread: the generated kernel (baseline)
/// against the row-by-row fallback executor. The ratio column is the fallback's slowdown.
/// </summary>
[MemoryDiagnoser]
public class RuntimeThroughputBenchmarks
{
    private RecordBatch _batch = null!;
    private CompiledFunction _total = null!;
    private EvaluateOptions _compiled = null!;
    private EvaluateOptions _fallback = null!;

    [Params(10_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batch = ReferenceData.Create(Rows);
        _total = FunctionCompiler.Compile((Func<double, double?, double?, bool, double>)ReferenceFeatures.Total);
        if (_total.Mode != ExecutionMode.Compiled) throw new InvalidOperationException($"Total fell back: {_total.FallbackReason}");
        _compiled = new EvaluateOptions { Bindings = ReferenceFeatures.TotalBindings, Mode = EvaluationMode.Compiled, Threads = 1 };
        _fallback = _compiled with { Mode = EvaluationMode.Fallback };
    }

    [GlobalCleanup]
    public void Cleanup() => _batch.Dispose();

    [Benchmark(Baseline = true, Description = "Total compiled, 1 thread")]
    public int Compiled()
    {
        using var result = _total.Evaluate(_batch, _compiled);
        return result.Values.NullCount;
    }

    [Benchmark(Description = "Total fallback (row by row), 1 thread")]
    public int Fallback()
    {
        using var result = _total.Evaluate(_batch, _fallback);
        return result.Values.NullCount;
    }
}

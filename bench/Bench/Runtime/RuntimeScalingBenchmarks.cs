using BenchmarkDotNet.Attributes;
using Dsl.Arrow;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>A compute-heavy compiled feature on 1 thread (baseline) and 2 threads: the ratio is the scaling.</summary>
[MemoryDiagnoser]
public class RuntimeScalingBenchmarks
{
    private RecordBatch _batch = null!;
    private CompiledFunction _heavy = null!;

    [Params(10_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batch = ReferenceData.Create(Rows);
        _heavy = FunctionCompiler.Compile((Func<double, double, double>)ReferenceFeatures.Heavy);
        if (_heavy.Mode != ExecutionMode.Compiled) throw new InvalidOperationException($"Heavy fell back: {_heavy.FallbackReason}");
    }

    [GlobalCleanup]
    public void Cleanup() => _batch.Dispose();

    [Benchmark(Baseline = true, Description = "Heavy compiled, 1 thread")]
    public int OneThread() => Run(1);

    [Benchmark(Description = "Heavy compiled, 2 threads")]
    public int TwoThreads() => Run(2);

    private int Run(int threads)
    {
        using var result = _heavy.Evaluate(_batch, new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads });
        return result.Values.NullCount;
    }
}

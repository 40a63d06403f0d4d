using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Apache.Arrow;
using Dsl.Codegen;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>
/// <see cref="CompiledFunction.Evaluate"/> over the 10,000,000-row reference batch, output allocation included.
/// Category <c>fallback</c>: the reference <c>Total</c> resolver compiled (baseline) against the row-by-row fallback
/// executor, one thread; the ratio is the fallback's slowdown. Category <c>scaling</c>: a compute-heavy compiled
/// feature on one thread (baseline) and two; the ratio is the scaling. Category <c>overhead</c>: the kernel
/// <c>Evaluate</c> runs for <c>Total</c>, alone over one range into an output allocated once (baseline), against
/// the whole <c>Evaluate</c> call; the ratio is what binding, a fresh output, morsels and the result cost on top.
/// </summary>
[MemoryDiagnoser]
[InProcess] // the project file (Bench.csproj) is not named after its assembly (Dsl.Bench), which BenchmarkDotNet's out-of-process toolchain needs
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class RuntimeBatchBenchmarks
{
    private RecordBatch _batch = null!;
    private CompiledFunction _total = null!;
    private CompiledFunction _heavy = null!;
    private EvaluateOptions _compiled = null!;
    private IKernel _totalKernel = null!;
    private OutputColumn _kernelOutput = null!;
    private KernelFrame _kernelFrame = null!;

    [Params(10_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batch = ReferenceBatch.Create(Rows);
        _total = Compiled((Func<double, double?, double?, bool, double>)ReferenceFeatures.Total);
        _heavy = Compiled((Func<double, double, double>)ReferenceFeatures.Heavy);
        _compiled = new EvaluateOptions { Bindings = ReferenceFeatures.TotalBindings, Mode = EvaluationMode.Compiled, Threads = 1 };
        IArrowArray[] totalInputs = [_batch.Column("subtotal"), _batch.Column("discount"), _batch.Column("tax_rate"), _batch.Column("taxable")];
        _totalKernel = _total.KernelFor(ExecutionMode.Compiled, totalInputs.Select(c => c.Data.DataType).ToArray());
        _kernelOutput = OutputColumn.Create(_totalKernel.OutputType, Rows);
        _kernelFrame = new KernelFrame(totalInputs, _kernelOutput, new RowErrorSink());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _kernelFrame.Dispose();
        _kernelOutput.Dispose();
        _batch.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Total compiled, 1 thread"), BenchmarkCategory("fallback")]
    public int TotalCompiled() => Run(_total, _compiled);

    [Benchmark(Description = "Total fallback (row by row), 1 thread"), BenchmarkCategory("fallback")]
    public int TotalFallback() => Run(_total, _compiled with { Mode = EvaluationMode.Fallback });

    [Benchmark(Baseline = true, Description = "Heavy compiled, 1 thread"), BenchmarkCategory("scaling")]
    public int HeavyOneThread() => Run(_heavy, new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = 1 });

    [Benchmark(Description = "Heavy compiled, 2 threads"), BenchmarkCategory("scaling")]
    public int HeavyTwoThreads() => Run(_heavy, new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = 2 });

    [Benchmark(Baseline = true, Description = "Total kernel alone, output allocated once"), BenchmarkCategory("overhead")]
    public void TotalKernelOnly() => _totalKernel.Run(_kernelFrame, 0, Rows);

    [Benchmark(Description = "Total Evaluate (compiled, 1 thread)"), BenchmarkCategory("overhead")]
    public int TotalEvaluate() => Run(_total, _compiled);

    private int Run(CompiledFunction function, EvaluateOptions options)
    {
        using var result = function.Evaluate(_batch, options);
        return result.Values.NullCount;
    }

    private static CompiledFunction Compiled(Delegate function)
    {
        var compiled = FunctionCompiler.Compile(function);
        if (compiled.Mode != ExecutionMode.Compiled) throw new InvalidOperationException($"{function.Method.Name} fell back: {compiled.FallbackReason}");
        return compiled;
    }
}

using BenchmarkDotNet.Attributes;
using Dsl.Codegen.Compilation;

namespace Dsl.Bench.Codegen;

/// <summary>
/// Compile time of the reference example's IR to a kernel: cold (structural key, row loop and vector
/// kernel generated and compiled to delegates) and cached (a freshly built, structurally equal IR found in the
/// kernel cache).
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class CompileBenchmarks
{
    [Benchmark(Baseline = true)]
    public object CompileCold() => KernelCompiler.CompileUncached(ReferenceIr.Total(), ReferenceData.Types);

    [Benchmark]
    public object CompileCached() => KernelCompiler.Compile(ReferenceIr.Total(), ReferenceData.Types);
}

using System.Linq.Expressions;
using BenchmarkDotNet.Attributes;
using Dsl.Codegen.Compilation;

namespace Dsl.Bench.Codegen;

/// <summary>
/// Compile time of the reference example's IR (the C# Total resolver lowered from its CIL, once, in setup) to a
/// kernel: cold (structural key, row loop and vector kernel generated and compiled to delegates) and cached (the
/// structural key computed again and the kernel found in the kernel cache).
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class CompileBenchmarks
{
    private LambdaExpression _ir = null!;

    [GlobalSetup]
    public void Setup() => _ir = LoweredTotal.Ir();

    [Benchmark(Baseline = true)]
    public object CompileCold() => KernelCompiler.CompileUncached(_ir, ReferenceData.Types);

    [Benchmark]
    public object CompileCached() => KernelCompiler.Compile(_ir, ReferenceData.Types);
}

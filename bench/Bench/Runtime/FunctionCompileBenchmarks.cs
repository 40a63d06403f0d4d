using BenchmarkDotNet.Attributes;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>
/// Lambda to delegate through the public API: <see cref="FunctionCompiler.Compile(Delegate, CompileOptions?)"/> of
/// the reference resolver once its kernel is cached (lowering runs every time; kernel generation does not). The
/// cold figure (first compile in a process) comes from <c>bench runtime-cold</c>.
/// </summary>
[MemoryDiagnoser]
[InProcess] // the project file (Bench.csproj) is not named after its assembly (Dsl.Bench), which BenchmarkDotNet's out-of-process toolchain needs
public class FunctionCompileBenchmarks
{
    private readonly Func<double, double?, double?, bool, double> _total = ReferenceFeatures.Total;

    [GlobalSetup]
    public void Setup() => FunctionCompiler.Compile(_total);

    [Benchmark(Description = "Compile Total (kernel cached)")]
    public CompiledFunction CompileCached() => FunctionCompiler.Compile(_total);

    [Benchmark(Description = "Compile Total + first online call (kernel cached)")]
    public double CompileAndCall() =>
        FunctionCompiler.Compile(_total).AsDelegate<Func<double, double?, double?, bool, double>>()(100, 10, 0.2, true);
}

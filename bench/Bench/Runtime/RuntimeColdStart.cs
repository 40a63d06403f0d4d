using System.Diagnostics;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>
/// <c>bench runtime-cold</c>: the first compile of the reference resolver in a fresh process (JIT of the compiler
/// included, no kernel cached), then the first evaluation and the first typed online call. Run it as its own
/// process; a figure of a warm process would not be cold.
/// </summary>
internal static class RuntimeColdStart
{
    public static int Run()
    {
        var clock = Stopwatch.StartNew();
        var total = FunctionCompiler.Compile((Func<double, double?, double?, bool, double>)ReferenceFeatures.Total);
        var compile = clock.Elapsed;
        clock.Restart();
        var typed = total.AsDelegate<Func<double, double?, double?, bool, double>>();
        var value = typed(100, 10, 0.2, true);
        var online = clock.Elapsed;
        using var batch = ReferenceBatch.Create(100_000);
        clock.Restart();
        using var result = total.Evaluate(batch, new EvaluateOptions { Bindings = ReferenceFeatures.TotalBindings, Threads = 1 });
        var evaluate = clock.Elapsed;
        clock.Restart();
        var again = FunctionCompiler.Compile((Func<double, double?, double?, bool, double>)ReferenceFeatures.Total);
        var cached = clock.Elapsed;

        Console.WriteLine($"mode={total.Mode} value={value}");
        Console.WriteLine($"cold compile (lower + kernel): {compile.TotalMilliseconds:F2} ms");
        Console.WriteLine($"first AsDelegate + call:       {online.TotalMilliseconds:F2} ms");
        Console.WriteLine($"first Evaluate, 100,000 rows:  {evaluate.TotalMilliseconds:F2} ms (elapsed reported {result.Elapsed.TotalMilliseconds:F2} ms)");
        Console.WriteLine($"second compile (kernel cached): {cached.TotalMilliseconds:F2} ms, mode={again.Mode}");
        return 0;
    }
}

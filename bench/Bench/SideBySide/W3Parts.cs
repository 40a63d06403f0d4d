using System.Diagnostics;
using Apache.Arrow;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Runtime;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// <c>dsl-bench w3-parts --data DIR [--runs R] [--threads 1,2]</c>: W3 alone, compiled and by the hand-written UTF-8
/// kernel, in one process, with the garbage collections each compiled run causes — the quick loop for profiling
/// string kernels (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>) without the other engines' time in it. With
/// <c>DSL_BENCH_TRACE=1</c> it also prints the generated kernel (to stderr); with <c>DSL_ALLOC=1</c>, the types the
/// compiled runs allocate most (sampled by the runtime's allocation ticks).
/// </summary>
internal static class W3Parts
{
    public static int Run(string[] args)
    {
        string? data = null;
        int runs = 5;
        int[] threadCounts = [1, 2];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data": data = args[i + 1]; break;
                case "--runs": runs = int.Parse(args[i + 1]); break;
                case "--threads": threadCounts = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
                default: throw new ArgumentException($"w3-parts: unknown option {args[i]}");
            }
        }
        if (data is null) throw new ArgumentException("w3-parts: --data DIR is required (written by bench/data/generate.mjs)");

        var columns = NpyColumns.Load(data);
        var userNames = new UserNames(columns.Rows, columns.EmailWidth);
        using var reader = MappedArrowReader.Open(Path.Combine(data, "bench.arrow"));
        var batches = new List<RecordBatch>();
        while (reader.ReadNextRecordBatch() is { } batch) batches.Add(batch);
        var function = FunctionCompiler.Compile((Func<string, string>)DslEngines.Username);
        if (Environment.GetEnvironmentVariable("DSL_BENCH_TRACE") == "1") Console.Error.WriteLine(function.KernelText);

        foreach (var threads in threadCounts)
        {
            var hand = Timing.Median(() => SideBySideRunner.ForRanges(columns.Rows, threads, (s, n) => HandUtf8Kernel.UserName(columns, userNames, s, n)), runs);
            var options = new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads };
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
            using var sampler = Environment.GetEnvironmentVariable("DSL_ALLOC") == "1" ? new Dsl.Bench.Engine.AllocationSampler() : null;
            sampler?.Start();
            var compiled = Timing.Median(() =>
            {
                foreach (var batch in batches) function.Evaluate(batch, options).Dispose();
            }, runs);
            if (sampler is not null) foreach (var line in sampler.Stop(8)) Console.WriteLine(line);
            var calls = runs + 3; // at least; the warm-up may run more
            var gc = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3,
                (GC.GetTotalAllocatedBytes() - gcBefore.Item4) / (1 << 20));
            Console.WriteLine($"threads={threads} hand={hand.Median:F0} ms compiled={compiled.Median:F0} ms ratio={compiled.Median / hand.Median:F2} " +
                $"gc0/1/2={gc.Item1}/{gc.Item2}/{gc.Item3} allocated={gc.Item4} MiB over >= {calls} runs");
        }
        foreach (var batch in batches) batch.Dispose();
        return 0;
    }
}

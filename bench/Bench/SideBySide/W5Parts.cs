using System.Diagnostics;
using Dsl.Runtime;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// <c>dsl-bench w5-parts --data DIR [--runs R] [--threads 1,2] [--workloads W5,W5-1w,W5-3w]</c>: the W5 family alone, in
/// one process, with each run's wall time, the process's CPU time and the garbage collections the runs cause — the quick
/// loop for profiling relation aggregation (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>). On a busy host the
/// CPU time of a 1-thread run is steadier than its wall time; on 2 threads, CPU ÷ wall shows how much ran in parallel.
/// </summary>
internal static class W5Parts
{
    public static int Run(string[] args)
    {
        string? data = null;
        var runs = 5;
        int[] threadCounts = [1, 2];
        string[] workloads = ["W5", "W5-1w", "W5-3w"];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data": data = args[i + 1]; break;
                case "--runs": runs = int.Parse(args[i + 1]); break;
                case "--threads": threadCounts = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
                case "--workloads": workloads = args[i + 1].Split(','); break;
                default: throw new ArgumentException($"w5-parts: unknown option {args[i]}");
            }
        }
        if (data is null) throw new ArgumentException("w5-parts: --data DIR is required (written by bench/data/generate.mjs)");

        var meta = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "meta.json"))).RootElement;
        var end = long.Parse(meta.GetProperty("endMicros").GetString()!);
        using var transactions = RelationWorkloads.LoadTransactions(data, meta.GetProperty("rows").GetInt32());
        using var parent = RelationWorkloads.Users(meta.GetProperty("users").GetInt32());
        var now = DateTime.UnixEpoch.AddTicks((end - 1) * 10);
        var related = new Dictionary<string, Apache.Arrow.RecordBatch> { ["Transactions"] = transactions };
        foreach (var workload in workloads)
        {
            var features = workload switch
            {
                "W5" => (CompiledFeatureSet)new W5Features().Compile(),
                "W5-1w" => W5WindowedFeatures.Over(["30d"]).Compile(),
                "W5-3w" => W5WindowedFeatures.Over(["1d", "7d", "30d"]).Compile(),
                _ => throw new ArgumentException($"w5-parts: unknown workload {workload}"),
            };
            foreach (var threads in threadCounts)
            {
                var options = new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, Now = now, Related = related };
                for (var w = 0; w < 3; w++) RelationWorkloads.Evaluate(features, parent, options).Dispose();
                var wall = new double[runs];
                var cpu = new double[runs];
                var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
                for (var r = 0; r < runs; r++)
                {
                    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                    var start = Stopwatch.GetTimestamp();
                    RelationWorkloads.Evaluate(features, parent, options).Dispose();
                    wall[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    cpu[r] = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds;
                }

                var gc = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3,
                    (GC.GetTotalAllocatedBytes() - gcBefore.Item4) / runs / (1 << 20));
                Console.WriteLine($"{workload,-6} threads={threads} wall min/median={wall.Min():F0}/{Median(wall):F0} ms cpu min/median={cpu.Min():F0}/{Median(cpu):F0} ms " +
                    $"gc0/1/2={gc.Item1}/{gc.Item2}/{gc.Item3} allocated={gc.Item4} MiB per run");
            }
        }

        return 0;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

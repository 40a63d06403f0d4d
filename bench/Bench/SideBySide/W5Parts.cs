using System.Diagnostics;
using Dsl.Runtime;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// <c>dsl-bench w5-parts --data DIR [--runs R] [--threads 1,2] [--workloads W5,W5-1w,W5-3w]</c>: the W5 family alone, in
/// one process, with each run's wall time, the process's CPU time and the garbage collections the runs cause — the quick
/// loop for profiling relation aggregation (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>). On a busy host the
/// CPU time of a 1-thread run is steadier than its wall time; on 2 threads, CPU ÷ wall shows how much ran in parallel.
/// With <c>--interleave 1</c> the workloads take turns run by run (W5, W5-1w, W5, W5-1w, …) after all are warmed up, so
/// that comparing two of them is not skewed by the order they ran in or by the host's load drifting between them.
/// </summary>
internal static class W5Parts
{
    public static int Run(string[] args)
    {
        string? data = null;
        var runs = 5;
        int[] threadCounts = [1, 2];
        string[] workloads = ["W5", "W5-1w", "W5-3w"];
        var interleave = false;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data": data = args[i + 1]; break;
                case "--runs": runs = int.Parse(args[i + 1]); break;
                case "--threads": threadCounts = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
                case "--workloads": workloads = args[i + 1].Split(','); break;
                case "--interleave": interleave = args[i + 1] == "1"; break;
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
        if (interleave)
        {
            Interleaved(workloads, threadCounts, runs, parent, now, related);
            return 0;
        }

        foreach (var workload in workloads)
        {
            var features = Compile(workload);
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

    private static CompiledFeatureSet Compile(string workload) => workload switch
    {
        "W5" => new W5Features().Compile(),
        "W5-1w" => W5WindowedFeatures.Over(["30d"]).Compile(),
        "W5-3w" => W5WindowedFeatures.Over(["1d", "7d", "30d"]).Compile(),
        _ => throw new ArgumentException($"w5-parts: unknown workload {workload}"),
    };

    /// <summary>Every (workload, threads) setting warmed up, then timed in turns: run r of each setting, then run r + 1 of each.</summary>
    private static void Interleaved(string[] workloads, int[] threadCounts, int runs, Apache.Arrow.RecordBatch parent, DateTime now,
        Dictionary<string, Apache.Arrow.RecordBatch> related)
    {
        var settings = workloads.SelectMany(w => threadCounts.Select(t => (Workload: w, Threads: t))).ToArray();
        var compiled = workloads.ToDictionary(w => w, Compile);
        var options = settings.Select(s => new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = s.Threads, Now = now, Related = related }).ToArray();
        for (var w = 0; w < 10; w++)
            for (var k = 0; k < settings.Length; k++) RelationWorkloads.Evaluate(compiled[settings[k].Workload], parent, options[k]).Dispose();
        var wall = settings.Select(_ => new double[runs]).ToArray();
        var cpu = settings.Select(_ => new double[runs]).ToArray();
        for (var r = 0; r < runs; r++)
        {
            for (var k = 0; k < settings.Length; k++)
            {
                var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                var start = Stopwatch.GetTimestamp();
                RelationWorkloads.Evaluate(compiled[settings[k].Workload], parent, options[k]).Dispose();
                wall[k][r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                cpu[k][r] = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds;
            }
        }

        for (var k = 0; k < settings.Length; k++)
            Console.WriteLine($"{settings[k].Workload,-6} threads={settings[k].Threads} wall min/median={wall[k].Min():F1}/{Median(wall[k]):F1} ms " +
                $"cpu min/median={cpu[k].Min():F0}/{Median(cpu[k]):F0} ms (interleaved)");
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

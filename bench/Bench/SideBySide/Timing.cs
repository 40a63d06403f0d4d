using System.Diagnostics;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// Warm-up, then the median of several timed runs, in milliseconds. With <c>DSL_BENCH_TRACE=1</c> each timed run
/// also prints (to stderr) its process CPU time, the garbage collections and bytes it caused, and the CPU time of each
/// thread that worked in it — what tells a run that did not scale with threads apart: the work stayed on one thread,
/// the threads did more work in total (contention), a collection ran, or the host gave the process one core.
/// </summary>
internal static class Timing
{
    private static readonly bool Trace = Environment.GetEnvironmentVariable("DSL_BENCH_TRACE") == "1";

    public static (double Median, double[] Runs) Median(Action compute, int runs) => Interleaved([compute], runs)[0];

    /// <summary>
    /// Several computations timed in turns: all are warmed up, then each timed round runs every one once, in order. A
    /// ratio between two of them (2 threads against 1, compiled against hand-written) then compares runs taken side by side
    /// in time; on a shared host whose speed drifts over seconds, timing one computation's runs after the other's can move
    /// that ratio more than the difference being measured.
    /// </summary>
    public static (double Median, double[] Runs)[] Interleaved(IReadOnlyList<Action> computes, int runs)
    {
        var settled = true;
        var compiled = 0L;
        foreach (var compute in computes)
        {
            var (warmSettled, warmCompiled) = WarmUp(compute);
            (settled, compiled) = (settled && warmSettled, warmCompiled);
        }
        var times = new double[computes.Count][];
        for (var k = 0; k < computes.Count; k++) times[k] = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            for (var k = 0; k < computes.Count; k++)
            {
                var before = Trace ? RunCounters.Take() : default;
                var start = Stopwatch.GetTimestamp();
                computes[k]();
                times[k][r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (Trace) Console.Error.WriteLine($"  {(computes.Count > 1 ? $"computation {k}, " : "")}run {r}: {times[k][r]:F0} ms wall, {RunCounters.Take().Since(before)}");
            }
        }
        if (Trace) Console.Error.WriteLine($"  {Engine.JitSettling.Note(compiled, settled)}");
        return [.. times.Select(t => (Median(t), t))];
    }

    private static double Median(double[] times)
    {
        var sorted = times.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Runs <paramref name="compute"/> until it and the JIT are warm; returns whether the JIT settled and the methods it has compiled.</summary>
    private static (bool Settled, long Compiled) WarmUp(Action compute)
    {
        // Warm-up: at least 3 calls and 1 s (or 1000 calls), then until the JIT has compiled nothing for a second: tiered
        // compilation keeps recompiling hot methods in the background for several runs of a long kernel, and on 2 cores that
        // background thread takes a core from a 2-thread run (it used 10–200 ms of CPU in each timed W3 run without this).
        // The trace's own counters are warmed up with it, so that their compilation does not land in the timed runs.
        Action warm = Trace ? () => { compute(); RunCounters.Take(); } : compute;
        var warmUp = Stopwatch.StartNew();
        for (var w = 0; w < 3 || (warmUp.ElapsedMilliseconds < 1000 && w < 1000); w++) warm();
        var settled = Engine.JitSettling.Wait(warm);
        return (settled, Engine.JitSettling.Compiled);
    }

    /// <summary>Process CPU, collections, allocation and per-thread CPU at one instant.</summary>
    private readonly record struct RunCounters(TimeSpan Cpu, int Gen0, int Gen1, int Gen2, long Allocated, Dictionary<int, TimeSpan> Threads)
    {
        public static RunCounters Take()
        {
            using var process = Process.GetCurrentProcess();
            var threads = new Dictionary<int, TimeSpan>();
            foreach (ProcessThread thread in process.Threads)
            {
                try
                {
                    threads[thread.Id] = thread.TotalProcessorTime;
                }
                catch (InvalidOperationException)
                {
                    // The thread ended while being read.
                }
            }
            return new(process.TotalProcessorTime, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(), threads);
        }

        public string Since(RunCounters before)
        {
            var busy = Threads.Select(t => (t.Key, Ms: (t.Value - before.Threads.GetValueOrDefault(t.Key)).TotalMilliseconds))
                .Where(t => t.Ms >= 10).Select(t => $"{t.Key}:{t.Ms:F0}");
            return $"{(Cpu - before.Cpu).TotalMilliseconds:F0} ms cpu, gc0/1/2 {Gen0 - before.Gen0}/{Gen1 - before.Gen1}/{Gen2 - before.Gen2}, " +
                $"{(Allocated - before.Allocated) >> 20} MiB allocated, cpu ms per thread {string.Join(" ", busy)}";
        }
    }
}

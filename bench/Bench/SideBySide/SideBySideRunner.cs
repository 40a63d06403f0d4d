using System.Diagnostics;
using System.Numerics;
using System.Text.Json;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// <c>dsl-bench side-by-side --data DIR [--runs R] [--threads T] [--workloads W1,W5,W5-3w]</c>: this project's engines over the data
/// written by bench/data/generate.mjs, one JSON line per (engine, threads, workload) in the format of the
/// peers in bench/peers (read by bench/peers/table.mjs). Timing covers computation over columns already in
/// memory: a warm-up, then the median of R runs. A workload's engines and thread counts in this process take turns run
/// by run (<see cref="Timing.Interleaved"/>), so its ratios (compiled against hand-written, 2 threads against 1) are
/// not moved by the host's speed drifting between one engine's runs and the next's.
/// </summary>
internal static class SideBySideRunner
{
    public static int Run(string[] args)
    {
        var options = Options.Parse(args);
        var wanted = options.Workloads;
        if (wanted.Overlaps(["W1", "W2", "W3", "W4"])) RunRowWorkloads(options, wanted);
        if (wanted.Contains("W1P")) DslEngines.RunParquet(Path.Combine(options.Data, "bench.parquet"), options.Runs, options.ThreadCounts, Report);
        RelationWorkloads.Run(options.Data, options.Runs, options.ThreadCounts, wanted, Report);
        return 0;
    }

    /// <summary>
    /// W1–W4: for each, the hand-written kernel and the compiled path on every thread count are timed in turns
    /// (<see cref="Timing.Interleaved"/>), so that their ratios compare runs taken side by side; then the fallback.
    /// </summary>
    private static void RunRowWorkloads(Options options, IReadOnlySet<string> wanted)
    {
        var columns = NpyColumns.Load(options.Data);
        var rows = columns.Rows;
        var values = new double[rows];
        var bits = new ulong[(rows + 63) / 64];
        var userNames = wanted.Contains("W3") ? new UserNames(rows, columns.EmailWidth) : null;
        using var arrow = new DslEngines.ArrowBatches(options.Data);

        foreach (var (name, function, bindings) in DslEngines.Workloads().Where(w => wanted.Contains(w.Name)))
        {
            (string Engine, Action<int, int> Range, Func<object> Checksum) hand = name switch
            {
                "W1" => ("hand-vector256", (s, n) => HandKernels.Total(columns, values, s, n), () => SumChecksum(values)),
                "W2" => ("hand-vector256", (s, n) => HandKernels.OverThousand(columns, bits, s, n), () => new { sum = bits.Sum(w => (long)BitOperations.PopCount(w)), nulls = 0 }),
                "W3" => ("hand-utf8", (s, n) => HandUtf8Kernel.UserName(columns, userNames!, s, n), () => userNames!.Checksum()),
                "W4" => ("hand-vector256", (s, n) => HandKernels.Score(columns, values, s, n), () => SumChecksum(values)),
                _ => throw new InvalidOperationException($"No hand-written kernel for {name}."),
            };
            var entries = options.ThreadCounts.Select(threads => (hand.Engine, threads, Run: (Action)(() => ForRanges(rows, threads, hand.Range)), hand.Checksum))
                .Concat(options.ThreadCounts.Select(threads =>
                {
                    var compiled = DslEngines.Compiled(function, bindings, arrow, threads);
                    return (Engine: "dsl-compiled", threads, compiled.Run, compiled.Checksum);
                }))
                .ToArray();
            var timings = Timing.Interleaved([.. entries.Select(e => e.Run)], options.Runs);
            for (var k = 0; k < entries.Length; k++)
            {
                entries[k].Run(); // the output the checksum reads (W1 and W4 share the hand kernels' array)
                Report(entries[k].Engine, entries[k].threads, name, rows, timings[k], entries[k].Checksum());
            }

            if (LayoutTrace.Enabled && name == "W1")
                LayoutTrace.Print("W1 hand", ("subtotal", columns.Subtotal), ("discount", columns.Discount), ("tax_rate", columns.TaxRate), ("output", values));
            foreach (var threads in options.ThreadCounts) DslEngines.TraceLayout(name, function, bindings, arrow, threads);
            DslEngines.RunFallback(name, function, bindings, arrow, options.Runs, Report);
        }
    }

    /// <summary>Splits [0, rows) into 64-row-aligned ranges, a few per thread, and runs them on up to <paramref name="threads"/> threads.</summary>
    internal static void ForRanges(int rows, int threads, Action<int, int> body)
    {
        if (threads <= 1)
        {
            body(0, rows);
            return;
        }
        var chunk = (rows / (threads * 4) + 63) / 64 * 64;
        chunk = Math.Max(chunk, 64);
        var chunks = (rows + chunk - 1) / chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            k => body(k * chunk, Math.Min(chunk, rows - k * chunk)));
    }

    /// <summary>Sum of the non-null values in row order, and the null count (values here are never null).</summary>
    private static object SumChecksum(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return new { sum, nulls = 0 };
    }

    internal static void Report(string engine, int threads, string workload, int rows, (double Median, double[] Runs) timing, object checksum)
    {
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            engine,
            threads,
            workload,
            rows,
            median_ms = Math.Round(timing.Median, 3),
            runs_ms = timing.Runs.Select(t => Math.Round(t, 3)),
            checksum,
        }));
    }

    private sealed record Options(string Data, int Runs, int[] ThreadCounts, IReadOnlySet<string> Workloads)
    {
        public static Options Parse(string[] args)
        {
            string? data = null;
            int runs = 5;
            int[] threadCounts = Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
            string[] workloads = ["W1", "W1P", "W2", "W3", "W4", "W5", "W5-1w", "W5-3w"];
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                switch (args[i])
                {
                    case "--data": data = args[i + 1]; break;
                    case "--runs": runs = int.Parse(args[i + 1]); break;
                    // "--threads 4": 1 and 4 threads; "--threads 1,2,4": those (as w3-parts takes them).
                    case "--threads": threadCounts = ParseThreadCounts(args[i + 1]); break;
                    case "--workloads": workloads = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    default: throw new ArgumentException($"side-by-side: unknown option {args[i]}");
                }
            }
            if (data is null) throw new ArgumentException("side-by-side: --data DIR is required (written by bench/data/generate.mjs)");
            return new Options(data, runs, threadCounts, workloads.ToHashSet(StringComparer.Ordinal));
        }

        private static int[] ParseThreadCounts(string value)
        {
            var counts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(count => int.TryParse(count, out var n) && n > 0 ? n : throw new ArgumentException($"side-by-side: --threads takes positive counts (4, or 1,2,4), not '{value}'"))
                .ToArray();
            if (counts.Length == 0) throw new ArgumentException($"side-by-side: --threads takes positive counts (4, or 1,2,4), not '{value}'");
            return counts.Length == 1 && counts[0] > 1 ? [1, counts[0]] : counts;
        }
    }
}

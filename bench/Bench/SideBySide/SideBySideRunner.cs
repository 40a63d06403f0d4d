using System.Diagnostics;
using System.Numerics;
using System.Text.Json;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// <c>dsl-bench side-by-side --data DIR [--runs R] [--threads T] [--workloads W1,W5,W5-3w]</c>: this project's engines over the data
/// written by bench/data/generate.mjs, one JSON line per (engine, threads, workload) in the format of the
/// peers in bench/peers (read by bench/peers/table.mjs). Timing covers computation over columns already in
/// memory: one warm-up, then the median of R runs.
/// </summary>
internal static class SideBySideRunner
{
    public static int Run(string[] args)
    {
        var options = Options.Parse(args);
        var wanted = options.Workloads;
        if (wanted.Overlaps(["W1", "W2", "W3", "W4"])) RunHandKernels(options, wanted);
        if (wanted.Overlaps(["W1", "W1P", "W2", "W3", "W4"])) DslEngines.Run(options.Data, options.Runs, options.ThreadCounts, wanted, Report);
        RelationWorkloads.Run(options.Data, options.Runs, options.ThreadCounts, wanted, Report);
        return 0;
    }

    private static void RunHandKernels(Options options, IReadOnlySet<string> wanted)
    {
        var columns = NpyColumns.Load(options.Data);
        var rows = columns.Rows;
        var values = new double[rows];
        var bits = new ulong[(rows + 63) / 64];
        var userNames = wanted.Contains("W3") ? new UserNames(rows, columns.EmailWidth) : null;

        foreach (var threads in options.ThreadCounts)
        {
            if (wanted.Contains("W1"))
            {
                var w1 = Timing.Median(() => ForRanges(rows, threads, (s, n) => HandKernels.Total(columns, values, s, n)), options.Runs);
                Report("hand-vector256", threads, "W1", rows, w1, SumChecksum(values));
                if (LayoutTrace.Enabled)
                    LayoutTrace.Print("W1 hand", ("subtotal", columns.Subtotal), ("discount", columns.Discount), ("tax_rate", columns.TaxRate), ("output", values));
            }

            if (wanted.Contains("W2"))
            {
                var w2 = Timing.Median(() => ForRanges(rows, threads, (s, n) => HandKernels.OverThousand(columns, bits, s, n)), options.Runs);
                Report("hand-vector256", threads, "W2", rows, w2, new { sum = bits.Sum(w => (long)BitOperations.PopCount(w)), nulls = 0 });
            }

            if (wanted.Contains("W3"))
            {
                var w3 = Timing.Median(() => ForRanges(rows, threads, (s, n) => HandUtf8Kernel.UserName(columns, userNames!, s, n)), options.Runs);
                Report("hand-utf8", threads, "W3", rows, w3, userNames!.Checksum());
            }

            if (wanted.Contains("W4"))
            {
                var w4 = Timing.Median(() => ForRanges(rows, threads, (s, n) => HandKernels.Score(columns, values, s, n)), options.Runs);
                Report("hand-vector256", threads, "W4", rows, w4, SumChecksum(values));
            }
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
            int runs = 5, threads = Environment.ProcessorCount;
            string[] workloads = ["W1", "W1P", "W2", "W3", "W4", "W5", "W5-1w", "W5-3w"];
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                switch (args[i])
                {
                    case "--data": data = args[i + 1]; break;
                    case "--runs": runs = int.Parse(args[i + 1]); break;
                    case "--threads": threads = int.Parse(args[i + 1]); break;
                    case "--workloads": workloads = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    default: throw new ArgumentException($"side-by-side: unknown option {args[i]}");
                }
            }
            if (data is null) throw new ArgumentException("side-by-side: --data DIR is required (written by bench/data/generate.mjs)");
            return new Options(data, runs, threads > 1 ? [1, threads] : [1], workloads.ToHashSet(StringComparer.Ordinal));
        }
    }
}

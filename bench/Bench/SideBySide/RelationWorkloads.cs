using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Runtime;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// W5 — per user, over the rows whose <c>at</c> is in the last 30 days of the data's span: the sum, count and mean of
/// <c>amount</c> — through the DSL as a has-many aggregation (<see cref="W5Features"/>: a parent batch of the users, the
/// rows of bench.arrow as their related transactions, Now the last instant of the span so that the window
/// (Now − 30d, Now] is the peers' [end − 30d, end)), next to a hand-written <see cref="Dictionary{TKey, TValue}"/> loop;
/// and the windowed form with one window (W5-1w, 30d) and three (W5-3w: 1d, 7d, 30d in one definition each).
/// </summary>
internal static class RelationWorkloads
{
    public static void Run(string dataDirectory, int runs, int[] threadCounts, IReadOnlySet<string> workloads,
        Action<string, int, string, int, (double, double[]), object> report)
    {
        var meta = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDirectory, "meta.json"))).RootElement;
        var users = meta.GetProperty("users").GetInt32();
        var windowStart = long.Parse(meta.GetProperty("windowStartMicros").GetString()!);
        var end = long.Parse(meta.GetProperty("endMicros").GetString()!);
        using var transactions = LoadTransactions(dataDirectory, meta.GetProperty("rows").GetInt32());
        using var parent = Users(users);
        var rows = transactions.Length;
        // The last microsecond of the span: the window (Now − 30d, Now] holds exactly the rows with at ≥ end − 30d.
        var now = DateTime.UnixEpoch.AddTicks((end - 1) * 10);
        var related = new Dictionary<string, RecordBatch> { ["Transactions"] = transactions };

        if (workloads.Contains("W5"))
        {
            var features = new W5Features().Compile();
            RequireCompiled(features);
            var userId = Values<long>(transactions, 0);
            var amount = Values<double>(transactions, 1);
            var at = Values<long>(transactions, 2);
            Dictionary<long, (double Sum, long Count)> groups = [];
            double[] means = [];
            // The hand loop and the compiled path on each thread count take turns (Timing.Interleaved), as W1–W4's do.
            var timings = TimeCompiled(features, parent, now, related, threadCounts, runs, "W5", rows, report,
                ("Spend30d", "Count30d", "Mean30d"), () => (groups, means) = HandDictionary(userId, amount, at, windowStart));
            report("hand-dictionary", 1, "W5", rows, timings[^1],
                new { sum = groups.Values.Sum(g => g.Sum), nulls = 0, groups = groups.Count, count = groups.Values.Sum(g => g.Count), mean_sum = means.Sum() });
        }

        foreach (var (workload, windows) in new[] { ("W5-1w", new[] { "30d" }), ("W5-3w", ["1d", "7d", "30d"]) })
        {
            if (!workloads.Contains(workload)) continue;
            var features = W5WindowedFeatures.Over(windows).Compile();
            RequireCompiled(features);
            TimeCompiled(features, parent, now, related, threadCounts, runs, workload, rows, report, ("Spend[30d]", "Count[30d]", "Mean[30d]"), null);
        }
    }

    /// <summary>
    /// Times the compiled features on each thread count (and <paramref name="alsoTimed"/>, last) in turns, reports the
    /// compiled ones with their checksums, and returns every timing.
    /// </summary>
    private static (double Median, double[] Runs)[] TimeCompiled(CompiledFeatureSet features, RecordBatch parent, DateTime now,
        Dictionary<string, RecordBatch> related, int[] threadCounts, int runs, string workload, int rows,
        Action<string, int, string, int, (double, double[]), object> report, (string Sum, string Count, string Mean) checksum, Action? alsoTimed)
    {
        var options = threadCounts.Select(threads => new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, Now = now, Related = related }).ToArray();
        var computes = options.Select(o => (Action)(() => Evaluate(features, parent, o).Dispose())).ToList();
        if (alsoTimed is not null) computes.Add(alsoTimed);
        var timings = Timing.Interleaved(computes, runs);
        for (var k = 0; k < options.Length; k++)
            report("dsl-compiled", threadCounts[k], workload, rows, timings[k], Checksum(features, parent, options[k], checksum.Sum, checksum.Count, checksum.Mean));
        return timings;
    }

    /// <summary>
    /// The baseline a C# developer writes: one pass, a dictionary of (sum, count) per user updated in place, then the
    /// means. Sums accumulate in row order, as LINQ's do.
    /// </summary>
    private static (Dictionary<long, (double Sum, long Count)> Groups, double[] Means) HandDictionary(
        long[] userId, double[] amount, long[] at, long windowStart)
    {
        var groups = new Dictionary<long, (double Sum, long Count)>();
        for (var i = 0; i < userId.Length; i++)
        {
            if (at[i] < windowStart) continue;
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, userId[i], out _);
            group.Sum += amount[i];
            group.Count++;
        }

        var means = new double[groups.Count];
        var k = 0;
        foreach (var group in groups.Values) means[k++] = group.Sum / group.Count;
        return (groups, means);
    }

    internal static FeatureSetResult Evaluate(CompiledFeatureSet features, RecordBatch parent, EvaluateOptions options)
    {
        var result = features.Evaluate(parent, options);
        foreach (var (feature, errors) in result.Errors)
        {
            // Only the mean of a user without transactions in the window fails (Average of an empty sequence).
            if (errors.Count > 0 && !feature.StartsWith("Mean", StringComparison.Ordinal))
                throw new InvalidOperationException($"{feature}: {errors.Count} rows failed, e.g. {errors[0]}");
        }

        return result;
    }

    /// <summary>Over the users with at least one row in the window (the peers' groups): sum of sums, counts and means.</summary>
    private static object Checksum(CompiledFeatureSet features, RecordBatch parent, EvaluateOptions options, string sumName, string countName, string meanName)
    {
        using var result = Evaluate(features, parent, options);
        var sums = (DoubleArray)result.Output.Column(sumName);
        var counts = (Int32Array)result.Output.Column(countName);
        var means = (DoubleArray)result.Output.Column(meanName);
        double sum = 0, meanSum = 0;
        long count = 0, groups = 0, nulls = 0;
        for (var p = 0; p < parent.Length; p++)
        {
            if (counts.GetValue(p) is not > 0)
            {
                if (!means.IsNull(p)) throw new InvalidOperationException($"user {p} has no rows in the window but a mean");
                continue;
            }

            groups++;
            count += counts.GetValue(p)!.Value;
            if (sums.IsNull(p) || means.IsNull(p))
            {
                nulls++;
                continue;
            }

            sum += sums.GetValue(p)!.Value;
            meanSum += means.GetValue(p)!.Value;
        }

        return new { sum, nulls, groups, count, mean_sum = meanSum };
    }

    private static void RequireCompiled(CompiledFeatureSet features)
    {
        if (features.Verdicts.FirstOrDefault(v => v.Mode != ExecutionMode.Compiled) is { } verdict)
            throw new InvalidOperationException($"{verdict.Feature} did not compile, so dsl-compiled would measure the fallback: {verdict.Reason}");
    }

    /// <summary>The parents: one row per user id, 0 .. users − 1.</summary>
    internal static RecordBatch Users(int users)
    {
        var ids = new long[users];
        for (var i = 0; i < users; i++) ids[i] = i;
        return new RecordBatch(new Schema([new Field("Id", Int64Type.Default, false)], null), [Int64(ids)], users);
    }

    /// <summary>bench.arrow's user_id, amount and at, every batch concatenated into one related batch named as <see cref="W5Transaction"/>'s members.</summary>
    internal static RecordBatch LoadTransactions(string dataDirectory, int rows)
    {
        using var reader = MappedArrowReader.Open(Path.Combine(dataDirectory, "bench.arrow"));
        byte[] userId = new byte[rows * 8L], amount = new byte[rows * 8L], at = new byte[rows * 8L];
        var offset = 0;
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                var bytes = batch.Length * 8;
                MemoryMarshal.AsBytes(((Int64Array)batch.Column("user_id")).Values).CopyTo(userId.AsSpan(offset, bytes));
                MemoryMarshal.AsBytes(((DoubleArray)batch.Column("amount")).Values).CopyTo(amount.AsSpan(offset, bytes));
                MemoryMarshal.AsBytes(((TimestampArray)batch.Column("at")).Values).CopyTo(at.AsSpan(offset, bytes));
                offset += bytes;
            }
        }

        if (offset != rows * 8L) throw new InvalidDataException($"bench.arrow has {offset / 8} rows, meta.json says {rows}");
        var atType = new TimestampType(TimeUnit.Microsecond, "UTC");
        return new RecordBatch(
            new Schema([new Field("UserId", Int64Type.Default, false), new Field("Amount", DoubleType.Default, false), new Field("At", atType, false)], null),
            [
                new Int64Array(new ArrowBuffer(userId), ArrowBuffer.Empty, rows, 0, 0),
                new DoubleArray(new ArrowBuffer(amount), ArrowBuffer.Empty, rows, 0, 0),
                new TimestampArray(atType, new ArrowBuffer(at), ArrowBuffer.Empty, rows, 0, 0),
            ],
            rows);
    }

    private static Int64Array Int64(long[] values) =>
        new(new ArrowBuffer(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()), ArrowBuffer.Empty, values.Length, 0, 0);

    /// <summary>The values of a non-null fixed-width column, as an array (the hand-written loop's input).</summary>
    private static T[] Values<T>(RecordBatch batch, int column)
        where T : struct => MemoryMarshal.Cast<byte, T>(batch.Column(column).Data.Buffers[1].Span)[..batch.Length].ToArray();
}

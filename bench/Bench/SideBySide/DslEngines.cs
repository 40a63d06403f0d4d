using Apache.Arrow;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Bench.Runtime;
using Dsl.Runtime;
using Dsl.Runtime.Files;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// This project's engines over bench.arrow (mapped zero-copy and validated by <see cref="MappedArrowReader"/>): the compiled path with one
/// thread and with all threads, and the row-by-row fallback path, for W1–W4. The workloads are the C# resolvers
/// of docs/performance.md's workload table, compiled as users compile theirs — <see cref="FunctionCompiler.Compile(Delegate, CompileOptions?)"/>
/// lowers their CIL — and the run stops with the reason if any of them falls back.
/// </summary>
internal static class DslEngines
{
    /// <summary>W3: the user name of an email address, with gmail's dots and +tags removed.</summary>
    public static string Username(string email)
    {
        var user = email.Split('@')[0];
        if (email.EndsWith("@gmail.com", StringComparison.Ordinal)) user = user.Split('+')[0].Replace(".", "");
        return user.ToLowerInvariant();
    }

    /// <summary>W4: a math-heavy score, clamped.</summary>
    public static double Score(double subtotal, double amount) => Math.Clamp(Math.Log(1 + subtotal) * Math.Sqrt(amount), 0, 100);

    /// <summary>W1–W4 as compiled functions, with the column bindings their parameter names need.</summary>
    public static (string Name, CompiledFunction Function, IReadOnlyDictionary<string, string>? Bindings)[] Workloads()
    {
        (string, Delegate, IReadOnlyDictionary<string, string>?)[] resolvers =
        [
            ("W1", (Func<double, double?, double?, bool, double>)ReferenceFeatures.Total, ReferenceFeatures.TotalBindings),
            ("W2", (Func<double, bool>)(subtotal => subtotal > 1000), null),
            ("W3", (Func<string, string>)Username, null),
            ("W4", (Func<double, double, double>)Score, null),
        ];
        return resolvers.Select(r =>
        {
            var (name, resolver, bindings) = r;
            var function = FunctionCompiler.Compile(resolver);
            if (function.Mode != ExecutionMode.Compiled)
                throw new InvalidOperationException($"{name} did not compile, so dsl-compiled would measure the fallback: {function.FallbackReason}");
            return (name, function, bindings);
        }).ToArray();
    }

    public static void Run(string dataDirectory, int runs, int[] threadCounts, IReadOnlySet<string> workloads,
        Action<string, int, string, int, (double, double[]), object> report)
    {
        using var reader = MappedArrowReader.Open(Path.Combine(dataDirectory, "bench.arrow"));
        var batches = new List<RecordBatch>();
        while (reader.ReadNextRecordBatch() is { } batch) batches.Add(batch);
        var rows = batches.Sum(b => b.Length);
        foreach (var (name, function, bindings) in Workloads().Where(w => workloads.Contains(w.Name)))
        {
            foreach (var threads in threadCounts)
            {
                var options = new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, Bindings = bindings };
                var timing = Timing.Median(() => EvaluateAll(function, batches, options), runs);
                if (LayoutTrace.Enabled)
                {
                    using var traced = function.Evaluate(batches[0], options);
                    LayoutTrace.Print($"{name} compiled, {threads} thread(s), batch 0", batches[0], traced.Values);
                }
                report("dsl-compiled", threads, name, rows, timing, Checksum(function, batches, options));
            }
            var fallback = new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1, Bindings = bindings };
            report("dsl-fallback", 1, name, rows, Timing.Median(() => EvaluateAll(function, batches, fallback), runs), Checksum(function, batches, fallback));
        }
        foreach (var batch in batches) batch.Dispose();
        if (workloads.Contains("W1P")) RunParquet(Path.Combine(dataDirectory, "bench.parquet"), rows, runs, threadCounts, report);
    }

    /// <summary>
    /// W1P: W1 evaluated while reading bench.parquet (ParquetSharp's Arrow reader, batch by batch): the time
    /// includes decoding the file, as DuckDB's <c>read_parquet</c> peer does.
    /// </summary>
    private static void RunParquet(string path, int rows, int runs, int[] threadCounts, Action<string, int, string, int, (double, double[]), object> report)
    {
        var (_, function, bindings) = Workloads()[0];
        foreach (var threads in threadCounts)
        {
            var options = new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, Bindings = bindings };
            report("dsl-compiled", threads, "W1P", rows, Timing.Median(() => EvaluateParquet(function, path, options, null), runs),
                ParquetChecksum(function, path, options));
        }
    }

    /// <summary>The columns W1 reads: Parquet decodes only these, as DuckDB's <c>read_parquet</c> does for its query.</summary>
    private static readonly string[] ParquetColumns = ["subtotal", "discount", "tax_rate", "taxable"];

    private static void EvaluateParquet(CompiledFunction function, string path, EvaluateOptions options, Action<IArrowArray>? consume)
    {
        using var stream = BatchFiles.OpenRead(path, ParquetColumns);
        while (stream.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
        {
            using (batch)
            using (var result = function.Evaluate(batch, options))
            {
                if (result.Errors.Count > 0) throw new InvalidOperationException($"{result.Errors.Count} rows failed, e.g. {result.Errors[0]}");
                consume?.Invoke(result.Values);
            }
        }
    }

    private static object ParquetChecksum(CompiledFunction function, string path, EvaluateOptions options)
    {
        double sum = 0;
        long nulls = 0;
        EvaluateParquet(function, path, options, values =>
        {
            var doubles = (DoubleArray)values;
            for (var i = 0; i < doubles.Length; i++)
            {
                if (doubles.IsNull(i)) nulls++;
                else sum += doubles.Values[i];
            }
        });
        return new { sum, nulls };
    }

    private static void EvaluateAll(CompiledFunction function, List<RecordBatch> batches, EvaluateOptions options)
    {
        foreach (var batch in batches)
        {
            using var result = function.Evaluate(batch, options);
            if (result.Errors.Count > 0) throw new InvalidOperationException($"{result.Errors.Count} rows failed, e.g. {result.Errors[0]}");
        }
    }

    /// <summary>Sum of non-null results in row order and the null count (W2: trues; W3: lengths and distinct values).</summary>
    private static object Checksum(CompiledFunction function, List<RecordBatch> batches, EvaluateOptions options)
    {
        double sum = 0;
        long nulls = 0, trues = 0, lengths = 0;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            using var result = function.Evaluate(batch, options);
            var values = result.Values;
            for (var i = 0; i < values.Length; i++)
            {
                if (values.IsNull(i))
                {
                    nulls++;
                    continue;
                }
                switch (values)
                {
                    case DoubleArray d: sum += d.Values[i]; break;
                    case BooleanArray b: trues += b.GetValue(i) == true ? 1 : 0; break;
                    case StringArray s:
                        var text = s.GetString(i)!;
                        lengths += text.Length;
                        distinct.Add(text);
                        break;
                }
            }
        }
        return function.ReturnType == typeof(bool) ? new { sum = trues, nulls }
            : function.ReturnType == typeof(string) ? new { sum = lengths, nulls, distinct = distinct.Count }
            : new { sum, nulls };
    }
}

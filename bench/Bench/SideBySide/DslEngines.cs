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

    /// <summary>bench.arrow's batches, mapped (dispose to unmap).</summary>
    public sealed class ArrowBatches : IDisposable
    {
        private readonly MappedArrowReader _reader;

        public ArrowBatches(string dataDirectory)
        {
            _reader = MappedArrowReader.Open(Path.Combine(dataDirectory, "bench.arrow"));
            while (_reader.ReadNextRecordBatch() is { } batch) Batches.Add(batch);
        }

        public List<RecordBatch> Batches { get; } = [];

        public int Rows => Batches.Sum(b => b.Length);

        public void Dispose()
        {
            foreach (var batch in Batches) batch.Dispose();
            _reader.Dispose();
        }
    }

    /// <summary>One compiled evaluation of all batches, and its checksum.</summary>
    public static (Action Run, Func<object> Checksum) Compiled(CompiledFunction function, IReadOnlyDictionary<string, string>? bindings, ArrowBatches data, int threads)
    {
        var options = new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, Bindings = bindings };
        return (() => EvaluateAll(function, data.Batches, options), () => Checksum(function, data.Batches, options));
    }

    /// <summary>Prints the layout of a compiled evaluation of the first batch (with <c>DSL_BENCH_TRACE=1</c>).</summary>
    public static void TraceLayout(string name, CompiledFunction function, IReadOnlyDictionary<string, string>? bindings, ArrowBatches data, int threads)
    {
        if (!LayoutTrace.Enabled) return;
        var options = new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, Bindings = bindings };
        using var traced = function.Evaluate(data.Batches[0], options);
        LayoutTrace.Print($"{name} compiled, {threads} thread(s), batch 0", data.Batches[0], traced.Values);
    }

    /// <summary>The row-by-row fallback on one thread, timed alone (it is several times slower than the rest).</summary>
    public static void RunFallback(string name, CompiledFunction function, IReadOnlyDictionary<string, string>? bindings, ArrowBatches data, int runs,
        Action<string, int, string, int, (double, double[]), object> report)
    {
        var fallback = new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1, Bindings = bindings };
        report("dsl-fallback", 1, name, data.Rows, Timing.Median(() => EvaluateAll(function, data.Batches, fallback), runs), Checksum(function, data.Batches, fallback));
    }

    /// <summary>
    /// W1P: W1 evaluated while reading bench.parquet (ParquetSharp's Arrow reader, batch by batch): the time
    /// includes decoding the file, as DuckDB's <c>read_parquet</c> peer does.
    /// </summary>
    public static void RunParquet(string path, int runs, int[] threadCounts, Action<string, int, string, int, (double, double[]), object> report)
    {
        var (_, function, bindings) = Workloads()[0];
        var options = threadCounts.Select(threads => new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, Bindings = bindings }).ToArray();
        var rows = 0;
        EvaluateParquet(function, path, options[0], values => rows += values.Length);
        var timings = Timing.Interleaved([.. options.Select(o => (Action)(() => EvaluateParquet(function, path, o, null)))], runs);
        for (var k = 0; k < options.Length; k++) report("dsl-compiled", threadCounts[k], "W1P", rows, timings[k], ParquetChecksum(function, path, options[k]));
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

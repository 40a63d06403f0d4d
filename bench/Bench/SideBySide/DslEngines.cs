using System.Linq.Expressions;
using Dsl.Arrow;
using Dsl.Arrow.Ipc;
using Dsl.Runtime;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// This project's engines over bench.arrow (read with our own Arrow IPC reader): the compiled path with one
/// thread and with all threads, and the row-by-row fallback path, for W1–W4. The functions are given as
/// expression trees, whose IR is the tree itself, because CIL lowering of delegates is not on main yet; the
/// trees state exactly what the C# resolvers in docs/performance.md compute.
/// </summary>
internal static class DslEngines
{
    private static readonly Expression<Func<double, double?, double?, bool, double>> s_total = (subtotal, discount, taxRate, taxable) =>
        !taxable || taxRate == null
            ? (discount != null ? Math.Max(subtotal - discount.Value, 0.0) : subtotal)
            : (discount != null ? Math.Max(subtotal - discount.Value, 0.0) : subtotal) * (1.0 + taxRate.Value);

    private static readonly Expression<Func<double, bool>> s_overThousand = subtotal => subtotal > 1000.0;

    private static readonly Expression<Func<string, string>> s_username = email =>
        (email.EndsWith("@gmail.com", StringComparison.Ordinal)
            ? email.Split('@')[0].Split('+')[0].Replace(".", "")
            : email.Split('@')[0]).ToLowerInvariant();

    private static readonly Expression<Func<double, double, double>> s_score = (subtotal, amount) =>
        Math.Clamp(Math.Log(1 + subtotal) * Math.Sqrt(amount), 0, 100);

    public static void Run(string dataDirectory, int runs, int[] threadCounts, Action<string, int, string, int, (double, double[]), object> report)
    {
        using var reader = ArrowFileReader.OpenMapped(Path.Combine(dataDirectory, "bench.arrow"));
        var batches = Enumerable.Range(0, reader.RecordBatchCount).Select(reader.ReadRecordBatch).ToList();
        var rows = batches.Sum(b => b.Length);
        var workloads = new (string Name, LambdaExpression Function)[] { ("W1", s_total), ("W2", s_overThousand), ("W3", s_username), ("W4", s_score) };
        foreach (var (name, expression) in workloads)
        {
            var function = new CompiledFunction(expression.Compile(), expression, fallbackReason: null, CompileOptions.Default);
            var bindings = expression.Parameters.Any(p => p.Name == "taxRate") ? new Dictionary<string, string> { ["taxRate"] = "tax_rate" } : null;
            foreach (var threads in threadCounts)
            {
                var options = new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, Bindings = bindings };
                report("dsl-compiled", threads, name, rows, Timing.Median(() => EvaluateAll(function, batches, options), runs), Checksum(function, batches, options));
            }
            var fallback = new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1, Bindings = bindings };
            report("dsl-fallback", 1, name, rows, Timing.Median(() => EvaluateAll(function, batches, fallback), runs), Checksum(function, batches, fallback));
        }
        foreach (var batch in batches) batch.Dispose();
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

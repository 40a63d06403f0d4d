using Apache.Arrow;
using Dsl.Runtime;

namespace Dsl.Cli.Demo;

/// <summary>One feature's evaluation time on the sample rows (median of several runs), compiled and row by row.</summary>
internal sealed record FeatureTiming(string Feature, ExecutionMode Mode, TimeSpan Compiled, TimeSpan RowByRow, int Rows);

/// <summary>
/// Times each computed feature alone over the sample rows, as compiled (its kernel, or its row loop when it falls
/// back) and row by row, reading the features it depends on from the plan's output. Each figure is the median of
/// <see cref="Runs"/> evaluations after one untimed warm-up, so that one noisy run (a GC, another process, the JIT
/// settling) does not decide the comparison.
/// </summary>
internal static class FeatureTimings
{
    /// <summary>Timed evaluations per figure.</summary>
    public const int Runs = 5;

    public static IReadOnlyList<FeatureTiming> Measure(CompiledFeatureSet features, RecordBatch inputs, RecordBatch outputs)
    {
        // The combined batch borrows both batches' arrays; its owners dispose them.
        var fields = inputs.Schema.FieldsList.Concat(outputs.Schema.FieldsList);
        var combined = new RecordBatch(new Schema(fields, null), inputs.Arrays.Concat(outputs.Arrays), inputs.Length);
        var timings = new List<FeatureTiming>();
        foreach (var verdict in features.Verdicts)
        {
            var dependencies = features.Graph[verdict.Feature].Dependencies;
            var bindings = verdict.Function.Parameters
                .Select((parameter, i) => (parameter.Name, Column: dependencies[i]))
                .ToDictionary(b => b.Name, b => b.Column, StringComparer.Ordinal);
            var compiled = Median(() => Time(verdict.Function, combined, new EvaluateOptions { Bindings = bindings }));
            var rowByRow = Median(() => Time(verdict.Function, combined, new EvaluateOptions { Bindings = bindings, Mode = EvaluationMode.Fallback }));
            timings.Add(new FeatureTiming(verdict.Feature, verdict.Mode, compiled, rowByRow, inputs.Length));
        }
        return timings;
    }

    /// <summary>The median of <see cref="Runs"/> timings of <paramref name="run"/>, after one untimed warm-up run.</summary>
    public static TimeSpan Median(Func<TimeSpan> run) => Median(run, Runs);

    /// <summary>The median of <paramref name="runs"/> timings of <paramref name="run"/>, after one untimed warm-up run.</summary>
    public static TimeSpan Median(Func<TimeSpan> run, int runs)
    {
        run();
        var times = new TimeSpan[runs];
        for (var i = 0; i < times.Length; i++) times[i] = run();
        System.Array.Sort(times);
        return times[times.Length / 2];
    }

    private static TimeSpan Time(CompiledFunction function, RecordBatch batch, EvaluateOptions options)
    {
        using var result = function.Evaluate(batch, options);
        return result.Elapsed;
    }
}

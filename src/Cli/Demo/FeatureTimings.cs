using Dsl.Arrow;
using Dsl.Runtime;

namespace Dsl.Cli.Demo;

/// <summary>One feature's throughput on the sample rows, compiled and row by row.</summary>
internal sealed record FeatureTiming(string Feature, ExecutionMode Mode, TimeSpan Compiled, TimeSpan RowByRow, int Rows);

/// <summary>
/// Times each computed feature alone over the sample rows, once as compiled (its kernel, or its row loop
/// when it falls back) and once row by row, reading the features it depends on from the plan's output.
/// </summary>
internal static class FeatureTimings
{
    public static IReadOnlyList<FeatureTiming> Measure(CompiledFeatureSet features, RecordBatch inputs, RecordBatch outputs)
    {
        // The combined batch borrows both batches' arrays; its owners dispose them.
        var fields = inputs.Schema.FieldsList.Concat(outputs.Schema.FieldsList);
        var combined = new RecordBatch(new Schema(fields), inputs.Arrays.Concat(outputs.Arrays), inputs.Length);
        var timings = new List<FeatureTiming>();
        foreach (var verdict in features.Verdicts)
        {
            var dependencies = features.Graph[verdict.Feature].Dependencies;
            var bindings = verdict.Function.Parameters
                .Select((parameter, i) => (parameter.Name, Column: dependencies[i]))
                .ToDictionary(b => b.Name, b => b.Column, StringComparer.Ordinal);
            using var compiled = verdict.Function.Evaluate(combined, new EvaluateOptions { Bindings = bindings });
            using var rowByRow = verdict.Function.Evaluate(combined, new EvaluateOptions { Bindings = bindings, Mode = EvaluationMode.Fallback });
            timings.Add(new FeatureTiming(verdict.Feature, verdict.Mode, compiled.Elapsed, rowByRow.Elapsed, inputs.Length));
        }
        return timings;
    }
}

using System.CommandLine;
using RecordBatch = Apache.Arrow.RecordBatch;
using Dsl.Cli.Demo;
using Dsl.Runtime;
using Dsl.Samples;
using Spectre.Console;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl demo [--rows N]</c>: builds the sample <see cref="Transaction"/> feature set, shows each feature's
/// verdict, evaluates it over N generated rows with a progress bar, and compares the compiled path's
/// throughput (and answers) with the row-by-row path's; then does the same for the sample <see cref="User"/> features,
/// aggregations over each user's transactions (<see cref="UserDemo"/>).
/// </summary>
internal static class DemoCommand
{
    private const int BatchRows = 1 << 20;
    private const int RowByRowSampleRows = 1 << 20;

    public static Command Create()
    {
        var rows = new Option<long>("--rows") { Description = "Rows to generate and evaluate", HelpName = "N", DefaultValueFactory = _ => 10_000_000 };
        var command = new Command("demo", "Compile the sample Transaction and User features and evaluate them over generated rows.") { rows };
        command.SetAction(parsed => Run(parsed.GetValue(rows)));
        return command;
    }

    private static int Run(long rows)
    {
        if (rows < 1) throw CliException.BadInput($"--rows must be at least 1, got {rows}");
        var console = AnsiConsole.Console;
        console.MarkupLine("[bold]Transaction features[/] (src/Dsl/Samples/TransactionFeatures.cs)");
        var features = new TransactionFeatures().Compile();
        console.Write(VerdictTable(features));
        foreach (var verdict in features.Verdicts.Where(v => !v.IsCompiled))
            console.MarkupLine($"[yellow]{Markup.Escape(verdict.Feature)}[/] runs row by row: {Markup.Escape(verdict.Reason ?? "")}");

        var generator = new TransactionBatches(seed: 42);
        var compiled = TimeSpan.Zero;
        var errors = 0L;
        RecordBatch? sample = null;
        FeatureSetResult? sampleResult = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"evaluating {rows:N0} rows", maxValue: rows);
                for (var done = 0L; done < rows;)
                {
                    var size = (int)Math.Min(BatchRows, rows - done);
                    var batch = generator.Next(size);
                    var result = features.Evaluate(batch);
                    compiled += result.Elapsed;
                    errors += result.Errors.Values.Sum(e => e.Count);
                    if (sample is null)
                    {
                        (sample, sampleResult) = (batch, result);
                    }
                    else
                    {
                        result.Dispose();
                        batch.Dispose();
                    }
                    done += size;
                    task.Increment(size);
                }
            });

        using (sample)
        using (sampleResult)
        {
            var sampleRows = Math.Min(sample!.Length, RowByRowSampleRows);
            // Apache.Arrow's slices share their parent's buffers without counting references: never dispose one.
            var inputs = sample.Slice(0, sampleRows);
            var outputs = sampleResult!.Output.Slice(0, sampleRows);
            using var rowByRow = features.Evaluate(inputs, new EvaluateOptions { Mode = EvaluationMode.Fallback });
            var mismatches = features.Verdicts.Sum(v => ArrowValues.Mismatches(outputs.Column(v.Feature), rowByRow.Output.Column(v.Feature)));
            var timings = FeatureTimings.Measure(features, inputs, outputs);
            // The set as a whole is timed like each feature alone: median of runs over the same sample rows, so the
            // "all features" row compares like with like (the batches above include warm-up and first-use JIT).
            var allCompiled = FeatureTimings.Median(() =>
            {
                using var again = features.Evaluate(inputs);
                return again.Elapsed;
            });
            var allRowByRow = FeatureTimings.Median(() =>
            {
                using var again = features.Evaluate(inputs, new EvaluateOptions { Mode = EvaluationMode.Fallback });
                return again.Elapsed;
            });
            console.Write(ThroughputTable(timings, sampleRows, allCompiled, allRowByRow));
            console.MarkupLine($"all {rows:N0} rows evaluated compiled in {compiled.TotalSeconds:N2} s ({PerSecond(rows, compiled)}, first batch and warm-up included)");
            console.MarkupLine($"row errors: {errors:N0}; compiled equals row by row on the first {sampleRows:N0} rows: "
                + (mismatches == 0 ? "[green]yes[/]" : $"[red]no, {mismatches:N0} values differ[/]"));
            var usersAgree = UserDemo.Run(console, rows);
            var onlineAgrees = OnlineDemo.Run(console);
            return mismatches == 0 && usersAgree && onlineAgrees ? ExitCodes.Success : ExitCodes.InternalError;
        }
    }

    private static Table VerdictTable(CompiledFeatureSet features)
    {
        var table = new Table().AddColumns("feature", "type", "defined by", "verdict");
        foreach (var verdict in features.Verdicts)
        {
            var feature = features.Graph[verdict.Feature];
            table.AddRow(
                Markup.Escape(feature.Name),
                Markup.Escape(feature.TypeName),
                Markup.Escape(FeatureKindNames.Describe(feature.Kind)),
                verdict.IsCompiled ? "[green]compiled[/]" : "[yellow]fallback[/]");
        }
        return table;
    }

    private static Table ThroughputTable(IReadOnlyList<FeatureTiming> timings, int sampleRows, TimeSpan compiled, TimeSpan rowByRow)
    {
        var table = new Table().AddColumns("", "rows", "compiled", "row by row", "speed-up");
        foreach (var timing in timings)
        {
            table.AddRow(
                Markup.Escape(timing.Feature) + (timing.Mode == ExecutionMode.Compiled ? "" : " [yellow](fallback)[/]"),
                $"{timing.Rows:N0}",
                PerSecond(timing.Rows, timing.Compiled),
                PerSecond(timing.Rows, timing.RowByRow),
                Ratio(timing.Rows / timing.Compiled.TotalSeconds, timing.Rows / timing.RowByRow.TotalSeconds));
        }
        table.AddRow(
            "[bold]all features[/]",
            $"{sampleRows:N0}",
            PerSecond(sampleRows, compiled),
            PerSecond(sampleRows, rowByRow),
            Ratio(sampleRows / compiled.TotalSeconds, sampleRows / rowByRow.TotalSeconds));
        table.Caption($"million rows per second on the first rows, median of {FeatureTimings.Runs} runs after a warm-up; evaluation only");
        return table;
    }

    private static string PerSecond(long count, TimeSpan time) => time > TimeSpan.Zero ? $"{count / time.TotalSeconds / 1e6:N1} M/s" : "-";

    private static string Ratio(double compiled, double rowByRow) =>
        double.IsFinite(compiled) && double.IsFinite(rowByRow) && rowByRow > 0 ? $"{compiled / rowByRow:N1}x" : "-";
}

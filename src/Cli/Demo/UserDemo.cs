using RecordBatch = Apache.Arrow.RecordBatch;
using Dsl.Runtime;
using Dsl.Samples;
using Spectre.Console;

namespace Dsl.Cli.Demo;

/// <summary>
/// The second part of <c>dsl demo</c>: the sample <see cref="User"/> features, aggregations over each user's
/// transactions (windowed spend, a count, a mean, the most recent transaction's subtotal, a resolver's filtered count),
/// each user computed as of its own time. Shows each feature's verdict and plan, then times the set and each feature
/// alone, compiled next to row by row (over rows materialized per user), and checks that both give the same answers.
/// </summary>
internal static class UserDemo
{
    /// <summary>At most this many users: the row-by-row path materializes every transaction as an object, and the demo stays short.</summary>
    public const int MaxUsers = 5_000;

    /// <summary>Timed evaluations per figure: fewer than the first part's, as each evaluation reads every user's transactions.</summary>
    public const int Runs = 3;

    /// <summary>Runs the part for about <paramref name="rows"/> / 20 users (1 to <see cref="MaxUsers"/>); true when both paths agree.</summary>
    public static bool Run(IAnsiConsole console, long rows)
    {
        var userCount = (int)Math.Clamp(rows / 20, 1, MaxUsers);
        console.WriteLine();
        console.MarkupLine("[bold]User features[/] (src/Dsl/Samples/UserFeatures.cs): aggregations over each user's transactions");
        var features = new UserFeatures().Compile();
        var plans = features.Plan.DescribeRelations().ToDictionary(p => p.Feature, StringComparer.Ordinal);
        console.Write(VerdictTable(features, plans));
        foreach (var verdict in features.Verdicts.Where(v => !v.IsCompiled))
            console.MarkupLine($"[yellow]{Markup.Escape(verdict.Feature)}[/] runs row by row: {Markup.Escape(verdict.Reason ?? "")}");

        var (users, transactions) = UserBatches.Generate(userCount, seed: 7);
        using (users)
        using (transactions)
        {
            var options = new EvaluateOptions
            {
                NowColumn = UserBatches.NowColumn,
                Related = new Dictionary<string, RecordBatch> { [nameof(User.Transactions)] = transactions },
            };
            var rowByRowOptions = options with { Mode = EvaluationMode.Fallback };
            using var compiled = features.Evaluate(users, options);
            using var rowByRow = features.Evaluate(users, rowByRowOptions);
            var mismatches = features.Verdicts.Sum(v => ArrowValues.Mismatches(compiled.Output.Column(v.Feature), rowByRow.Output.Column(v.Feature)));
            var errors = compiled.Errors.Values.Sum(e => e.Count);
            mismatches += Math.Abs(errors - rowByRow.Errors.Values.Sum(e => e.Count));

            var relations = plans.Values.SelectMany(p => p.Relations).Distinct().ToArray();
            var table = new Table().AddColumns("", "compiled", "row by row", "speed-up");
            foreach (var verdict in features.Verdicts)
            {
                var alone = FeaturePlan.Create([features.Plan.Features.First(f => f.Name == verdict.Feature)], relations);
                AddTiming(table, Markup.Escape(verdict.Feature), alone.Evaluate, users, options, rowByRowOptions);
            }
            AddTiming(table, "[bold]all features[/]", features.Evaluate, users, options, rowByRowOptions);
            table.Caption($"ms per evaluation of {userCount:N0} users over {transactions.Length:N0} transactions, median of {Runs} runs after a warm-up; evaluation only");
            console.Write(table);
            console.MarkupLine($"row errors: {errors:N0}; compiled equals row by row for all {userCount:N0} users: "
                + (mismatches == 0 ? "[green]yes[/]" : $"[red]no, {mismatches:N0} values differ[/]"));
            return mismatches == 0;
        }
    }

    private static void AddTiming(Table table, string name, Func<RecordBatch, EvaluateOptions?, FeatureSetResult> evaluate,
        RecordBatch users, EvaluateOptions compiledOptions, EvaluateOptions rowByRowOptions)
    {
        TimeSpan Time(EvaluateOptions options)
        {
            using var result = evaluate(users, options);
            return result.Elapsed;
        }

        var compiled = FeatureTimings.Median(() => Time(compiledOptions), Runs);
        var rowByRow = FeatureTimings.Median(() => Time(rowByRowOptions), Runs);
        table.AddRow(name, Milliseconds(compiled), Milliseconds(rowByRow),
            compiled > TimeSpan.Zero ? $"{rowByRow / compiled:N1}x" : "-");
    }

    private static Table VerdictTable(CompiledFeatureSet features, Dictionary<string, RelationFeaturePlan> plans)
    {
        var table = new Table().AddColumns("feature", "type", "defined by", "verdict", "plan");
        foreach (var verdict in features.Verdicts)
        {
            var feature = features.Graph[verdict.Feature];
            table.AddRow(
                Markup.Escape(feature.Name),
                Markup.Escape(feature.TypeName),
                Markup.Escape(FeatureKindNames.Describe(feature.Kind)),
                verdict.IsCompiled ? "[green]compiled[/]" : "[yellow]fallback[/]",
                plans.TryGetValue(verdict.Feature, out var plan) ? RelationStrategyNames.Short(plan.Strategy) : "");
        }
        return table;
    }

    private static string Milliseconds(TimeSpan time) => $"{time.TotalMilliseconds:N2} ms";
}

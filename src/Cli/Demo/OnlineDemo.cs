using Dsl.Engine;
using Dsl.Engine.Samples;
using Dsl.Engine.Store;
using Spectre.Console;

namespace Dsl.Cli.Demo;

/// <summary>
/// The last part of <c>dsl demo</c>: the same kind of features answered online by the engine, with no server to install — the
/// sample shop in an embedded DuckDB (two SQL resolvers), the online store on Garnet in process. One user is asked twice: the first
/// answer is computed (a lookup, a fetch of the user's transactions, the compiled aggregations), the second reads the feature that
/// may be stale from the store. Shows the plan, each value's source and each query's time.
/// </summary>
internal static class OnlineDemo
{
    private static readonly string[] Outputs = ["user.name", "user.total_spend", "user.large_count", "user.spend30d", "user.largest_amount", "user.label"];

    /// <summary>Runs the part; true when both answers have no error and agree.</summary>
    public static bool Run(IAnsiConsole console) => Task.Run(async () =>
    {
        console.WriteLine();
        console.MarkupLine("[bold]Online query[/] (src/Engine/Samples): the engine over an embedded DuckDB, the online store on Garnet in process");
        await using var source = SampleShop.Source(users: 1_000, transactionsPerUser: 50);
        await using var store = await RedisOnlineStore.StartEmbeddedAsync();
        var engine = await SampleShop.EngineAsync(source, store);
        var inputs = new Dictionary<string, object?> { ["user.id"] = 42L };
        var options = new QueryOptions { Now = SampleShop.Now };
        var first = await engine.QueryAsync(inputs, Outputs, options);
        var second = await engine.QueryAsync(inputs, Outputs, options);

        console.MarkupLine($"[grey]dsl query --in user.id=42 {Markup.Escape(string.Join(" ", Outputs.Select(o => "--out " + o)))} --explain[/]");
        foreach (var line in first.Metadata.Plan.Explain()) console.MarkupLine($"  {Markup.Escape(line)}");
        var table = new Table().AddColumns("feature", "value", "first query", "second query");
        foreach (var (feature, value) in first.Values)
            table.AddRow(Markup.Escape(feature), Markup.Escape(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null"),
                Source(first, feature), Source(second, feature));
        table.Caption($"first {first.Metadata.Elapsed.TotalMilliseconds:0.00} ms, second {second.Metadata.Elapsed.TotalMilliseconds:0.00} ms (in process, first use included)");
        console.Write(table);
        var agree = first.Errors.Count == 0 && second.Errors.Count == 0 && first.Values.SequenceEqual(second.Values);
        console.MarkupLine($"errors: {first.Errors.Count + second.Errors.Count}; the stored answer equals the computed one: {(agree ? "[green]yes[/]" : "[red]no[/]")}");
        return agree;
    }).GetAwaiter().GetResult();

    private static string Source(QueryResult result, string feature)
    {
        var provenance = result.Metadata.Features[feature];
        return provenance.Source.ToString().ToLowerInvariant() + (provenance.Age is { } age ? $" ({age.TotalSeconds:0} s old)" : "");
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Dsl.Engine;
using Dsl.Engine.Graph;
using Dsl.Engine.Offline;
using Dsl.Engine.Samples;
using Dsl.Runtime.Files;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl offline --spine spine.parquet --out user.total_spend [--out …] --output training.parquet [--store DIR] [--recompute]
/// [--ttl 30d]</c>: a point-in-time correct training set from the sample shop (embedded DuckDB) and an offline store, written to
/// Parquet, with a progress line on standard error and a summary on standard output. Exits 2 for a spine or output the engine refuses.
/// </summary>
internal static class OfflineCommand
{
    public static Command Create()
    {
        var spine = new Option<string>("--spine") { Description = "The spine: a Parquet or Arrow file of entity keys and timestamps", HelpName = "FILE", Required = true };
        var outputs = new Option<string[]>("--out") { Description = "A feature to answer per spine row (user.total_spend)", HelpName = "FEATURE", Required = true };
        var output = new Option<string>("--output") { Description = "The training set to write (Parquet by its extension)", HelpName = "FILE", Required = true };
        var store = new Option<string?>("--store") { Description = "The offline store's directory; without it every feature is recomputed", HelpName = "DIR" };
        var recompute = new Option<bool>("--recompute") { Description = "Recompute every feature with Now = each row's time, even when stored" };
        var ttl = new Option<string?>("--ttl") { Description = "Stored values older than this at the row's time are null (30s, 5m, 2h, 1d)", HelpName = "DURATION" };
        var key = new Option<string?>("--key") { Description = "The spine's key column (by default the one named like the entity's key)", HelpName = "COLUMN" };
        var time = new Option<string?>("--time") { Description = "The spine's time column (by default its only timestamp column)", HelpName = "COLUMN" };
        var users = new Option<int>("--users") { Description = "How many users the sample data has", DefaultValueFactory = _ => 1_000 };
        var command = new Command("offline", "Answer features for every row of a spine as of its time, from the offline store or recomputed, into a Parquet file.")
        {
            spine, outputs, output, store, recompute, ttl, key, time, users,
        };
        command.SetAction(parsed => Run(parsed.GetRequiredValue(spine), parsed.GetRequiredValue(outputs), parsed.GetRequiredValue(output), parsed.GetValue(store),
            new OfflineQueryOptions
            {
                Recompute = parsed.GetValue(recompute),
                TimeToLive = parsed.GetValue(ttl) is { } text ? ParseDuration(text) : null,
                KeyColumn = parsed.GetValue(key),
                TimeColumn = parsed.GetValue(time),
                Progress = new ProgressLine(),
            }, parsed.GetValue(users)));
        return command;
    }

    private static int Run(string spine, string[] outputs, string output, string? storeDirectory, OfflineQueryOptions options, int users)
    {
        var clock = Stopwatch.StartNew();
        var result = Task.Run(async () =>
        {
            await using var source = SampleShop.Source(users, transactionsPerUser: 50);
            await using var store = storeDirectory is null ? null : ParquetOfflineStore.Open(storeDirectory);
            var engine = await SampleShop.EngineAsync(source, offline: store);
            try
            {
                return await engine.OfflineQueryAsync(spine, outputs, options);
            }
            catch (QueryException e)
            {
                throw CliException.BadInput(e.Message);
            }
        }).GetAwaiter().GetResult();
        Console.Error.WriteLine();

        using (var writer = BatchFiles.Create(output, result.Batch.Schema))
        {
            for (var offset = 0; offset < result.Batch.Length; offset += 1 << 16)
                writer.Write(result.Batch.Slice(offset, Math.Min(1 << 16, result.Batch.Length - offset)));
        }
        Console.WriteLine($"{result.Batch.Length:N0} rows, {result.Features.Count} features -> {output} in {clock.Elapsed.TotalSeconds:0.00} s");
        foreach (var feature in result.Features)
        {
            Console.WriteLine($"  {feature.Feature}: {(feature.Recomputed ? "recomputed" : "from the store")}, {feature.Values:N0} values"
                              + (feature.Errors > 0 ? $", {feature.Errors:N0} failed (first: {feature.FirstError!.Message})" : ""));
        }
        return ExitCodes.Success;
    }

    internal static TimeSpan ParseDuration(string text)
    {
        try
        {
            return Staleness.Parse(text);
        }
        catch (FormatException e)
        {
            throw CliException.BadInput($"--ttl '{text}': {e.Message}");
        }
    }

    /// <summary>Rewrites one line on standard error: rows done of all, and the percentage.</summary>
    private sealed class ProgressLine : IProgress<OfflineProgress>
    {
        public void Report(OfflineProgress value) =>
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rrows {value.RowsDone:N0}/{value.Rows:N0} ({(value.Rows == 0 ? 100 : 100.0 * value.RowsDone / value.Rows):0}%)"));
    }
}

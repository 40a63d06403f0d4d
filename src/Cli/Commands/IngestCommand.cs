using System.CommandLine;
using System.Diagnostics;
using Dsl.Engine;
using Dsl.Engine.Offline;
using Dsl.Engine.Samples;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl ingest rows.parquet --store DIR --entity user [--key COLUMN] [--time COLUMN]</c>: appends wide rows (a key column, a
/// time column, one column per feature of the sample shop's entity) to the offline store. Exits 2 for rows that do not fit.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A Parquet or Arrow file of wide rows: key, time, feature columns" };
        var store = new Option<string>("--store") { Description = "The offline store's directory (created when missing)", HelpName = "DIR", Required = true };
        var entity = new Option<string>("--entity") { Description = "The entity the rows are of (user)", HelpName = "ENTITY", Required = true };
        var key = new Option<string?>("--key") { Description = "The key column (by default the one named like the entity's key)", HelpName = "COLUMN" };
        var time = new Option<string?>("--time") { Description = "The feature time column (by default the only timestamp column)", HelpName = "COLUMN" };
        var command = new Command("ingest", "Append rows of feature values, each with its time, to the offline store.") { file, store, entity, key, time };
        command.SetAction(parsed => Run(parsed.GetRequiredValue(file), parsed.GetRequiredValue(store), parsed.GetRequiredValue(entity),
            new IngestOptions { KeyColumn = parsed.GetValue(key), TimeColumn = parsed.GetValue(time) }));
        return command;
    }

    private static int Run(string file, string storeDirectory, string entity, IngestOptions options)
    {
        var clock = Stopwatch.StartNew();
        var values = Task.Run(async () =>
        {
            await using var store = ParquetOfflineStore.Open(storeDirectory);
            await using var source = SampleShop.Source(users: 1, transactionsPerUser: 1);
            var engine = await SampleShop.EngineAsync(source, offline: store);
            try
            {
                return await engine.IngestAsync(entity, file, options);
            }
            catch (QueryException e)
            {
                throw CliException.BadInput(e.Message);
            }
        }).GetAwaiter().GetResult();
        Console.WriteLine($"ingested {values:N0} values into {Path.GetFullPath(storeDirectory)} in {clock.Elapsed.TotalSeconds:0.00} s");
        return ExitCodes.Success;
    }
}

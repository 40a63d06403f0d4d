using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using DuckDB.NET.Data;
using Dsl.Engine;
using Dsl.Engine.Offline;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Sources;

namespace Dsl.Bench.Offline;

/// <summary>
/// W6, point in time: a spine of (shopper, ts) rows against stored purchase events: per row, the latest amount at or before ts
/// (from the offline store, filled by ingesting the events) and the sum of the amounts in the 30 days up to ts (recomputed over
/// the purchases, read by an offline DuckDB resolver over the events' Parquet file). DuckDB answers the same with an ASOF JOIN
/// and a range join over the same files; the checksums must agree.
/// </summary>
/// <remarks>
/// <c>w6 generate --out DIR [--events N] [--shoppers U] [--spine S]</c> writes events.parquet, amounts.parquet and spine.parquet;
/// <c>w6 dsl --data DIR [--runs R]</c> ingests the amounts into DIR/store (once, not timed) and times the offline query;
/// <c>w6 duckdb --data DIR [--threads T] [--runs R]</c> times DuckDB's query. Each prints one line: engine, median ms, checksums and
/// the process's peak working set — run each in its own process (bench/w6.sh does) so the peaks are the engines' own.
/// </remarks>
internal static class W6Benchmark
{
    private const string Base = "TIMESTAMP '2026-01-01 00:00:00'";

    public static int Run(string[] args)
    {
        var options = Options(args.Length > 0 ? args[1..] : []);
        string Get(string name, string fallback) => options.GetValueOrDefault(name, fallback);
        var data = Get("data", Get("out", "bench/out/w6"));
        var runs = int.Parse(Get("runs", "1"), CultureInfo.InvariantCulture);
        switch (args.Length > 0 ? args[0] : "")
        {
            case "generate":
                Generate(data, long.Parse(Get("events", "10000000"), CultureInfo.InvariantCulture), long.Parse(Get("shoppers", "500000"), CultureInfo.InvariantCulture),
                    long.Parse(Get("spine", "1000000"), CultureInfo.InvariantCulture));
                return 0;
            case "dsl":
                return Report("dsl offline query", runs, () => DslAsync(data).GetAwaiter().GetResult());
            case "duckdb":
                var threads = int.Parse(Get("threads", "1"), CultureInfo.InvariantCulture);
                return Report($"duckdb {threads} thread(s)", runs, () => DuckDb(data, threads));
            default:
                Console.Error.WriteLine("usage: w6 generate|dsl|duckdb --data DIR [--events N --shoppers U --spine S] [--runs R] [--threads T]");
                return 2;
        }
    }

    /// <summary>Deterministic data: event i has a unique time (a permutation of seconds), a hashed shopper and a whole amount.</summary>
    private static void Generate(string directory, long events, long shoppers, long spine)
    {
        Directory.CreateDirectory(directory);
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        // 7919 and 104729 are primes: i * p % n is a permutation of 0 .. n − 1 when n is not a multiple of p.
        Execute(connection, $"""
            COPY (SELECT i AS id, (hash(i) % {shoppers})::BIGINT AS shopper_id, {Base} + to_seconds((i * 7919) % {events}) AS ts,
                         (hash(i * 31 + 7) % 10000)::DOUBLE AS amount
                  FROM range({events}) t(i)) TO '{Path.Combine(directory, "events.parquet")}' (FORMAT parquet)
            """);
        Execute(connection, $"""
            COPY (SELECT shopper_id, ts, amount AS last_amount FROM read_parquet('{Path.Combine(directory, "events.parquet")}'))
            TO '{Path.Combine(directory, "amounts.parquet")}' (FORMAT parquet)
            """);
        Execute(connection, $"""
            COPY (SELECT (hash(j + 99991) % {shoppers})::BIGINT AS shopper_id, {Base} + to_seconds((j * 104729) % {events}) AS ts
                  FROM range({spine}) t(j)) TO '{Path.Combine(directory, "spine.parquet")}' (FORMAT parquet)
            """);
        Console.WriteLine($"w6 data: {events:N0} events of {shoppers:N0} shoppers, a spine of {spine:N0} rows, in {Path.GetFullPath(directory)}");
    }

    private static async Task<Checksums> DslAsync(string directory)
    {
        var storeDirectory = Path.Combine(directory, "store");
        var fresh = !Directory.Exists(storeDirectory);
        await using var store = ParquetOfflineStore.Open(storeDirectory);
        await using var lake = new DuckDbSource("lake", new DuckDbSourceOptions
        {
            ParquetViews = new Dictionary<string, string> { ["events"] = Path.Combine(directory, "events.parquet") },
        });
        var engine = await new FeatureEngineBuilder().AddFeatureSet(new ShopperFeatures()).AddFeatureSet(new PurchaseFeatures()).AddSource(lake)
            .AddSqlResolver(SqlResolver.Parse("""
                -- The purchases of a shopper, from the events' Parquet file (the warehouse).
                -- resolves: Purchase
                -- source: lake
                -- type: offline
                SELECT id, shopper_id, ts, amount FROM events WHERE shopper_id = ${shopper.id}
                """, "purchases_by_shopper.sql"))
            .UseOfflineStore(store).BuildAsync();
        if (fresh)
        {
            var clock = Stopwatch.StartNew();
            var values = await engine.IngestAsync("shopper", Path.Combine(directory, "amounts.parquet"), new IngestOptions { KeyColumn = "shopper_id" });
            Console.Error.WriteLine($"w6: ingested {values:N0} values in {clock.Elapsed.TotalSeconds:0.0} s (not timed)");
        }
        var result = await engine.OfflineQueryAsync(Path.Combine(directory, "spine.parquet"), ["shopper.last_amount", "shopper.spend30d"]);
        if (result.Features.Any(f => f.Errors > 0)) throw new InvalidOperationException($"W6 rows failed: {result.Features.First(f => f.Errors > 0).FirstError}");
        var last = (DoubleArray)result.Batch.Column("Shopper.LastAmount");
        var spend = (DoubleArray)result.Batch.Column("Shopper.Spend30d");
        double lastSum = 0, spendSum = 0;
        for (var i = 0; i < result.Batch.Length; i++)
        {
            if (last.GetValue(i) is { } amount) lastSum += amount;
            spendSum += spend.GetValue(i) ?? 0;
        }
        return new Checksums(result.Batch.Length, last.Length - last.NullCount, lastSum, spendSum);
    }

    private static Checksums DuckDb(string directory, int threads)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, $"SET threads = {threads}");
        var events = Path.Combine(directory, "events.parquet");
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            WITH s AS (SELECT row_number() OVER () AS r, shopper_id, ts FROM read_parquet('{Path.Combine(directory, "spine.parquet")}')),
                 latest AS (SELECT s.r, e.amount FROM s ASOF LEFT JOIN read_parquet('{events}') e ON s.shopper_id = e.shopper_id AND s.ts >= e.ts),
                 spent AS (SELECT s.r, SUM(e.amount) AS spend FROM s JOIN read_parquet('{events}') e
                           ON e.shopper_id = s.shopper_id AND e.ts <= s.ts AND e.ts > s.ts - INTERVAL 30 DAY GROUP BY s.r)
            SELECT count(*), count(latest.amount), coalesce(sum(latest.amount), 0), coalesce(sum(spent.spend), 0)
            FROM latest LEFT JOIN spent USING (r)
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new Checksums(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
            Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture), Convert.ToDouble(reader.GetValue(3), CultureInfo.InvariantCulture));
    }

    private static int Report(string engine, int runs, Func<Checksums> run)
    {
        var times = new List<double>();
        Checksums? checksums = null;
        for (var i = 0; i < Math.Max(1, runs); i++)
        {
            var clock = Stopwatch.StartNew();
            checksums = run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var median = times.Order().ElementAt(times.Count / 2);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"W6 {engine}: {median:0} ms (median of {times.Count}), rows={checksums!.Rows} last_amount_count={checksums.LastCount} last_amount_sum={checksums.LastSum:R} spend30d_sum={checksums.SpendSum:R}, peak {peak:0} MB"));
        return 0;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
        return options;
    }

    private sealed record Checksums(long Rows, long LastCount, double LastSum, double SpendSum);
}

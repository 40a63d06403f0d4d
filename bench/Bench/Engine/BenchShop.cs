using Dsl.Engine;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Sources;
using Dsl.Engine.Store;

namespace Dsl.Bench.Engine;

/// <summary>
/// The latency workload: a 20-feature <see cref="BenchUser"/> query — 14 features of the user's row (one lookup), 5
/// aggregations over the user's ~50 <see cref="BenchTransaction"/>s (one fetch), and one feature over the row — served from
/// PostgreSQL by two SQL resolvers.
/// </summary>
internal static class BenchShop
{
    public static readonly DateTime Now = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    public static readonly string[] Outputs =
    [
        "bench_user.name", "bench_user.country", "bench_user.tier", "bench_user.age", "bench_user.score1", "bench_user.score2", "bench_user.score3",
        "bench_user.score4", "bench_user.score5", "bench_user.score6", "bench_user.score7", "bench_user.score8", "bench_user.score9", "bench_user.score10",
        "bench_user.total_spend", "bench_user.large_count", "bench_user.spend30d", "bench_user.largest_amount", "bench_user.mean_amount", "bench_user.label",
    ];

    private const string UsersSql = """
        -- resolves: BenchUser
        -- source: main
        SELECT id, name, country, tier, age, score1, score2, score3, score4, score5, score6, score7, score8, score9, score10
        FROM bench_users WHERE id = ${bench_user.id}
        """;

    private const string TransactionsSql = """
        -- resolves: BenchTransaction
        -- source: main
        SELECT id, user_id AS bench_user_id, "at", amount FROM bench_transactions WHERE user_id = ${bench_user.id}
        """;

    /// <summary>The data: <paramref name="users"/> users with 50 transactions each, in PostgreSQL.</summary>
    public static string PostgresData(int users) => $"""
        DROP TABLE IF EXISTS bench_users; DROP TABLE IF EXISTS bench_transactions;
        CREATE TABLE bench_users AS SELECT i::bigint AS id, 'user ' || i AS name, (ARRAY['GB','SE','FR','DE','JP'])[1 + i % 5] AS country,
            (i % 4)::integer AS tier, (18 + i % 60)::integer AS age,
            {string.Join(", ", Enumerable.Range(1, 10).Select(k => $"((i * {k * 7919}) % 1000) / 10.0::float8 AS score{k}"))}
        FROM generate_series(1, {users}) i;
        ALTER TABLE bench_users ADD PRIMARY KEY (id);
        CREATE TABLE bench_transactions AS SELECT (u * 100 + k)::bigint AS id, u::bigint AS user_id,
            TIMESTAMPTZ '2026-06-30 12:00:00+00' - make_interval(days => ((u * 7 + k * 13) % 66) - 6) - make_interval(mins => k) AS at,
            (((u * 37 + k * 11) % 800) / 4.0)::float8 AS amount
        FROM generate_series(1, {users}) u, generate_series(0, 49) k;
        CREATE INDEX ON bench_transactions (user_id);
        ANALYZE;
        """;

    /// <summary>The engine over <paramref name="source"/>; with a store, every output may be read from it at any age.</summary>
    public static Task<FeatureEngine> EngineAsync(DataSource source, IOnlineStore? store)
    {
        var builder = new FeatureEngineBuilder()
            .AddFeatureSet(new BenchUserFeatures())
            .AddSource(source)
            .AddSqlResolver(SqlResolver.Parse(UsersSql, "bench_users_by_id.sql"))
            .AddSqlResolver(SqlResolver.Parse(TransactionsSql, "bench_transactions_by_user.sql"));
        if (store is not null)
        {
            builder.UseOnlineStore(store);
            foreach (var output in Outputs) builder.MaxStaleness(output, Timeout.InfiniteTimeSpan);
        }
        return builder.BuildAsync();
    }
}

public sealed class BenchUser
{
    [PrimaryKey]
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Country { get; set; } = "";

    public int Tier { get; set; }

    public int Age { get; set; }

    public double Score1 { get; set; }

    public double Score2 { get; set; }

    public double Score3 { get; set; }

    public double Score4 { get; set; }

    public double Score5 { get; set; }

    public double Score6 { get; set; }

    public double Score7 { get; set; }

    public double Score8 { get; set; }

    public double Score9 { get; set; }

    public double Score10 { get; set; }

    public IReadOnlyList<BenchTransaction> Transactions { get; set; } = [];

    public double TotalSpend { get; set; }

    public int LargeCount { get; set; }

    public double Spend30d { get; set; }

    public double? LargestAmount { get; set; }

    public double? MeanAmount { get; set; }

    public string Label { get; set; } = "";
}

public sealed class BenchTransaction
{
    [PrimaryKey]
    public long Id { get; set; }

    public long BenchUserId { get; set; }

    [EventTime]
    public DateTime At { get; set; }

    public double Amount { get; set; }
}

public sealed class BenchUserFeatures : FeatureSet<BenchUser>
{
    protected override void Define(FeatureSetBuilder<BenchUser> features) => features
        .Define(u => u.TotalSpend, _ => _.Transactions.Sum(t => t.Amount))
        .Define(u => u.LargeCount, _ => _.Transactions.Count(t => t.Amount > 100))
        .Define(u => u.Spend30d, _ => _.Transactions.Where(t => t.At > F.Now - TimeSpan.FromDays(30)).Sum(t => t.Amount))
        .Define(u => u.LargestAmount, _ => _.Transactions.Max(t => (double?)t.Amount))
        .Define(u => u.MeanAmount, _ => _.Transactions.Average(t => (double?)t.Amount))
        .Define(u => u.Label, _ => _.Name + " (" + _.Country + ")");
}

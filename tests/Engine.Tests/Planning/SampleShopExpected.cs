using Dsl.Engine.Sources;

namespace Dsl.Engine.Tests.Planning;

/// <summary>
/// The sample shop's features of one user computed independently, by SQL aggregates over the tables the engine reads — the
/// computation the engine must agree with, on DuckDB and on PostgreSQL alike.
/// </summary>
internal static class SampleShopExpected
{
    public static readonly string[] Outputs = ["user.name", "user.total_spend", "user.large_count", "user.spend30d", "user.largest_amount", "user.label"];

    /// <param name="source">The source holding the sample's <c>users</c> and <c>transactions</c>.</param>
    /// <param name="user">The user's id.</param>
    /// <param name="now">The query's time, written as a literal of the type of <c>transactions.at</c> by <paramref name="timestamp"/>.</param>
    /// <param name="timestamp">A SQL literal for a time: DuckDB's <c>TIMESTAMP '…'</c>, PostgreSQL's <c>TIMESTAMPTZ '…+00'</c>.</param>
    public static async Task<Dictionary<string, object?>> ComputeAsync(DataSource source, long user, DateTime now, Func<DateTime, string> timestamp)
    {
        var at = timestamp(now);
        var result = await source.ReadAllAsync($"""
            SELECT u.name, u.name || ' (' || u.country || ')' AS label,
                   CAST(coalesce(sum(t.amount) FILTER (WHERE t."at" <= {at}), 0) AS DOUBLE PRECISION) AS total,
                   CAST(count(t.id) FILTER (WHERE t."at" <= {at} AND t.amount > 100) AS INTEGER) AS large,
                   CAST(coalesce(sum(t.amount) FILTER (WHERE t."at" <= {at} AND t."at" > {at} - INTERVAL '30 days'), 0) AS DOUBLE PRECISION) AS spend30d,
                   max(t.amount) FILTER (WHERE t."at" <= {at}) AS largest
            FROM users u LEFT JOIN transactions t ON t.user_id = u.id WHERE u.id = {user} GROUP BY u.name, u.country
            """, []);
        var batch = result.Batches.Single(b => b.Length > 0);
        object? Cell(string column) => Values.ArrowCells.Read(batch.Column(column), 0);
        return new Dictionary<string, object?>
        {
            ["User.Name"] = Cell("name"),
            ["User.TotalSpend"] = Cell("total"),
            ["User.LargeCount"] = Cell("large"),
            ["User.Spend30d"] = Cell("spend30d"),
            ["User.LargestAmount"] = Cell("largest"),
            ["User.Label"] = Cell("label"),
        };
    }

    /// <summary>DuckDB's literal for <paramref name="time"/> (the sample's <c>at</c> is a TIMESTAMP there).</summary>
    public static string DuckDbTimestamp(DateTime time) => $"TIMESTAMP '{time:yyyy-MM-dd HH:mm:ss}'";

    /// <summary>PostgreSQL's literal for <paramref name="time"/> (the sample's <c>at</c> is a timestamptz there).</summary>
    public static string PostgresTimestamp(DateTime time) => $"TIMESTAMPTZ '{time:yyyy-MM-dd HH:mm:ss}+00'";

    /// <summary>
    /// Asserts that a bulk query's answers equal the same queries asked one at a time: values, errors and where each value came from.
    /// </summary>
    public static void AssertSame(IReadOnlyList<QueryResult> bulk, IReadOnlyList<QueryResult> single)
    {
        Assert.That(bulk, Has.Count.EqualTo(single.Count));
        for (var i = 0; i < single.Count; i++)
        {
            Assert.That(bulk[i].Values, Is.EqualTo(single[i].Values), $"entity {i}");
            Assert.That(bulk[i].Errors, Is.EqualTo(single[i].Errors), $"entity {i}");
            Assert.That(bulk[i].Metadata.Features.ToDictionary(f => f.Key, f => f.Value.Source),
                Is.EqualTo(single[i].Metadata.Features.ToDictionary(f => f.Key, f => f.Value.Source)), $"entity {i}");
        }
    }
}

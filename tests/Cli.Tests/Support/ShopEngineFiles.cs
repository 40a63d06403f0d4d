using Dsl.Engine.Sources;

namespace Dsl.Cli.Tests.Support;

/// <summary>
/// A user's engine on disk, as <c>dsl serve --assembly … --resolvers … --source …</c> takes it: a compiled assembly with a <c>Shop</c>
/// (a name, <c>Payments</c>, and computed <c>Total</c> — five minutes stale at most —, <c>PaymentCount</c>, <c>Label</c>), two <c>.sql</c>
/// resolvers on source <c>main</c> (a shop by id, a shop's payments), and the data: shops 1…6, shop <c>s</c> ≤ 5 with <c>s</c>
/// payments of <c>10·s + k/4</c> (k = 0…s−1), shop 6 with none.
/// </summary>
internal static class ShopEngineFiles
{
    public const int Shops = 6;

    /// <summary>The assembly's path; the resolvers are written to <c>resolvers/</c> of <paramref name="directory"/>.</summary>
    public static string Write(TempDirectory directory)
    {
        var assembly = UserAssemblies.CompileShop(directory,
            "public string Name { get; set; } = \"\"; [Dsl.Engine.MaxStaleness(\"5m\")] public double Total { get; set; } public int PaymentCount { get; set; } public string Label { get; set; } = \"\";",
            """
            public sealed class ShopFeatures : FeatureSet<Shop>
            {
                protected override void Define(FeatureSetBuilder<Shop> f) => f
                    .Define(s => s.Total, _ => _.Payments.Sum(p => p.Amount))
                    .Define(s => s.PaymentCount, _ => _.Payments.Count())
                    .Define(s => s.Label, _ => _.Name + "!");
            }
            """);
        var resolvers = Directory.CreateDirectory(directory.File("resolvers")).FullName;
        File.WriteAllText(Path.Combine(resolvers, "shop_by_id.sql"), """
            -- resolves: Shop
            -- source: main
            SELECT id, name FROM shops WHERE id = ${shop.id}
            """);
        File.WriteAllText(Path.Combine(resolvers, "payments_of_shop.sql"), """
            -- resolves: Payment
            -- source: main
            SELECT id, shop_id, amount FROM payments WHERE shop_id = ${shop.id}
            """);
        return assembly;
    }

    public static string Resolvers(TempDirectory directory) => directory.File("resolvers");

    /// <summary>The data in a DuckDB database file; its path.</summary>
    public static async Task<string> WriteDuckDbAsync(TempDirectory directory)
    {
        var path = directory.File("shop.duckdb");
        await using (new DuckDbSource("seed", new DuckDbSourceOptions { DatabasePath = path, Setup = [.. DuckDbData] }))
        {
        }
        return path;
    }

    /// <summary>The statements that make the data, for DuckDB and PostgreSQL alike.</summary>
    public static IEnumerable<string> DuckDbData =>
    [
        $"CREATE TABLE shops AS SELECT i::BIGINT AS id, 'shop ' || i AS name FROM range(1, {Shops + 1}) t(i)",
        $"CREATE TABLE payments AS SELECT (s * 100 + k)::BIGINT AS id, s::BIGINT AS shop_id, (10.0 * s + k / 4.0)::DOUBLE AS amount FROM range(1, {Shops}) a(s), range(0, s) b(k)",
    ];

    /// <summary>The same data in PostgreSQL.</summary>
    public static string PostgresData => $"""
        DROP TABLE IF EXISTS shops; DROP TABLE IF EXISTS payments;
        CREATE TABLE shops AS SELECT i::bigint AS id, 'shop ' || i AS name FROM generate_series(1, {Shops}) i;
        CREATE TABLE payments AS SELECT (s * 100 + k)::bigint AS id, s::bigint AS shop_id, (10.0 * s + k / 4.0)::float8 AS amount
        FROM generate_series(1, {Shops - 1}) s, LATERAL generate_series(0, s - 1) k;
        """;

    /// <summary>Shop <paramref name="shop"/>'s features, computed here from the rule that made the data.</summary>
    public static (string Name, double Total, int PaymentCount, string Label) Expected(long shop)
    {
        var amounts = shop < Shops ? Enumerable.Range(0, (int)shop).Select(k => 10.0 * shop + k / 4.0).ToList() : [];
        return ($"shop {shop}", amounts.Sum(), amounts.Count, $"shop {shop}!");
    }
}

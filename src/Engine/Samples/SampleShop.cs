using System.Globalization;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Sources;
using Dsl.Engine.Store;

namespace Dsl.Engine.Samples;

/// <summary>
/// The sample shop served end to end with no server: users and their transactions generated in an embedded DuckDB database
/// (source <c>main</c>), two SQL resolvers (<see cref="UsersSql"/>, <see cref="TransactionsSql"/>), <see cref="UserFeatures"/> and
/// <see cref="TransactionFeatures"/>, and an online store when one is given (embedded Garnet by default in <c>dsl serve</c>).
/// </summary>
public static class SampleShop
{
    /// <summary>The time the sample's transactions are generated around (they fall in the 60 days before it, and a few after).</summary>
    public static readonly DateTime Now = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>The lookup of a user's row.</summary>
    public const string UsersSql = """
        -- Users by id.
        -- resolves: User
        -- source: main
        SELECT id, name, country FROM users WHERE id = ${user.id}
        """;

    /// <summary>The fetch of a user's transactions (a resolver of Transaction keyed by the user's id).</summary>
    public const string TransactionsSql = """
        -- A user's transactions.
        -- resolves: Transaction
        -- source: main
        SELECT id, user_id, "at", amount FROM transactions WHERE user_id = ${user.id}
        """;

    /// <summary>
    /// The statements that make the data: <paramref name="users"/> users (ids 1…n) with <paramref name="transactionsPerUser"/>
    /// transactions each, amounts in quarters (exact in binary, so sums do not depend on their order), one in ten after <see cref="Now"/>.
    /// </summary>
    public static IReadOnlyList<string> Data(int users, int transactionsPerUser) =>
    [
        $"""
        CREATE TABLE users AS
        SELECT i::BIGINT AS id, 'user ' || i AS name, (['GB', 'SE', 'FR', 'DE', 'JP'])[1 + i % 5] AS country
        FROM range(1, {users + 1}) t(i)
        """,
        $"""
        CREATE TABLE transactions AS
        SELECT (u * 100000 + k)::BIGINT AS id, u::BIGINT AS user_id,
               TIMESTAMP '{Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}' - INTERVAL (((u * 7 + k * 13) % 66) - 6) DAY - INTERVAL (k) MINUTE AS at,
               (((u * 37 + k * 11) % 800) / 4.0)::DOUBLE AS amount
        FROM range(1, {users + 1}) a(u), range(0, {transactionsPerUser}) b(k)
        """,
    ];

    /// <summary>The embedded source with the sample data.</summary>
    public static DuckDbSource Source(int users = 1_000, int transactionsPerUser = 50) =>
        new("main", new DuckDbSourceOptions { Setup = Data(users, transactionsPerUser) });

    /// <summary>
    /// An engine over <paramref name="source"/>, reading and writing <paramref name="store"/> when given, and appending to (and
    /// answering offline queries from) <paramref name="offline"/> when given.
    /// </summary>
    public static Task<FeatureEngine> EngineAsync(DataSource source, IOnlineStore? store = null, CancellationToken cancellationToken = default,
        Offline.IOfflineStore? offline = null)
    {
        var builder = new FeatureEngineBuilder()
            .AddFeatureSet(new UserFeatures())
            .AddFeatureSet(new TransactionFeatures())
            .AddSource(source)
            .AddSqlResolver(SqlResolver.Parse(UsersSql, "users_by_id.sql"))
            .AddSqlResolver(SqlResolver.Parse(TransactionsSql, "transactions_by_user.sql"));
        if (store is not null) builder.UseOnlineStore(store);
        if (offline is not null) builder.UseOfflineStore(offline);
        return builder.BuildAsync(cancellationToken);
    }
}

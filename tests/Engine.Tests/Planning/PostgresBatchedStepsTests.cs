using Dsl.Engine.Resolvers;
using Dsl.Engine.Samples;
using Dsl.Engine.Sources;
using Npgsql;

namespace Dsl.Engine.Tests.Planning;

/// <summary>
/// The lookup of a user and the fetch of its transactions, both keyed by the given id and on one PostgreSQL source, go to the server
/// as one batch; what each step answers or fails with is still its own.
/// </summary>
public sealed class PostgresBatchedStepsTests
{
    private static readonly string[] Outputs = SampleShopExpected.Outputs;
    private static readonly string[] LookupFeatures = ["User.Name", "User.Label"];
    private PostgresSource _source = null!;
    private FeatureEngine _healthy = null!;

    // Tables of this fixture's own (other fixtures recreate users and transactions in the shared server). The failing variants
    // divide by zero for user 7 only: the key filter sits behind OFFSET 0, so the division never sees another user's rows.
    private const string Users = "SELECT id, name, country FROM batched_users WHERE id = ${user.id}";
    private const string Transactions = "SELECT id, user_id, \"at\", amount FROM batched_transactions WHERE user_id = ${user.id}";
    private const string UsersFailingFor7 =
        "SELECT id, name, country FROM (SELECT * FROM batched_users WHERE id = ${user.id} OFFSET 0) u WHERE 1 / (id - 7) IS NOT NULL";
    private const string TransactionsFailingFor7 =
        "SELECT id, user_id, \"at\", amount FROM (SELECT * FROM batched_transactions WHERE user_id = ${user.id} OFFSET 0) t WHERE 1 / (user_id - 7) IS NOT NULL";

    [OneTimeSetUp]
    public async Task Start()
    {
        await using (var connection = new NpgsqlConnection(TestServers.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                DROP TABLE IF EXISTS batched_users; DROP TABLE IF EXISTS batched_transactions;
                CREATE TABLE batched_users AS
                SELECT i::bigint AS id, 'user ' || i AS name, (ARRAY['GB', 'SE', 'FR', 'DE', 'JP'])[1 + i % 5] AS country FROM generate_series(1, 12) i;
                CREATE TABLE batched_transactions AS
                SELECT (u * 100000 + k)::bigint AS id, u::bigint AS user_id,
                       TIMESTAMPTZ '2026-06-30 12:00:00+00' - make_interval(days => ((u * 7 + k * 13) % 66) - 6) - make_interval(mins => k) AS at,
                       (((u * 37 + k * 11) % 800) / 4.0)::float8 AS amount
                FROM generate_series(1, 12) u, generate_series(0, 49) k;
                """, connection);
            await command.ExecuteNonQueryAsync();
        }
        _source = new PostgresSource("main", TestServers.Postgres.ConnectionString);
        _healthy = await EngineAsync(Users, Transactions);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _source.DisposeAsync();

    private Task<FeatureEngine> EngineAsync(string users, string transactions) => new FeatureEngineBuilder()
        .AddFeatureSet(new UserFeatures())
        .AddFeatureSet(new TransactionFeatures())
        .AddSource(_source)
        .AddSqlResolver(SqlResolver.Parse($"-- resolves: User\n-- source: main\n{users}", "users_by_id.sql"))
        .AddSqlResolver(SqlResolver.Parse($"-- resolves: Transaction\n-- source: main\n{transactions}", "transactions_by_user.sql"))
        .BuildAsync();

    private static Task<QueryResult> QueryAsync(FeatureEngine engine, long? user) =>
        engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = user }, Outputs, new QueryOptions { Now = SampleShop.Now });

    [Test]
    public async Task Query_LookupAndFetch_OneBatch_AnswersEqualSqlAggregates()
    {
        var sent = _source.BatchesSent;
        var result = await QueryAsync(_healthy, 5);

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(_source.BatchesSent - sent, Is.EqualTo(1), "the lookup and the fetch went in one batch");
        Assert.That(result["User.Name"], Is.EqualTo("user 5"));
        Assert.That(result["User.TotalSpend"], Is.Not.Null);
    }

    [Test]
    public async Task Query_LookupFailsInTheBatch_FetchedAggregatesAreStillAnswered()
    {
        var engine = await EngineAsync(UsersFailingFor7, Transactions);

        var sent = _source.BatchesSent;
        var failed = await QueryAsync(engine, 7);
        Assert.That(_source.BatchesSent - sent, Is.EqualTo(1));
        var healthy = await QueryAsync(_healthy, 7);

        Assert.That(failed.Errors.Select(e => e.Feature), Is.EqualTo(LookupFeatures));
        Assert.That(failed.Errors, Has.All.Property("Message").Contains("'main'").And.Property("Message").Contains("division by zero"));
        foreach (var feature in healthy.Values.Keys.Except(LookupFeatures))
            Assert.That(failed[feature], Is.EqualTo(healthy[feature]), feature);
        Assert.That((await QueryAsync(engine, 6)).Values, Is.EqualTo((await QueryAsync(_healthy, 6)).Values), "other users are unaffected");
    }

    [Test]
    public async Task Query_FetchFailsInTheBatch_LookedUpFeaturesAreStillAnswered()
    {
        var engine = await EngineAsync(Users, TransactionsFailingFor7);

        var failed = await QueryAsync(engine, 7);
        var healthy = await QueryAsync(_healthy, 7);

        Assert.That(failed.Errors.Select(e => e.Feature), Is.EquivalentTo(healthy.Values.Keys.Except(LookupFeatures)));
        Assert.That(failed.Errors, Has.All.Property("Message").Contains("User.Transactions, which failed").And.Property("Message").Contains("division by zero"));
        foreach (var feature in LookupFeatures) Assert.That(failed[feature], Is.EqualTo(healthy[feature]), feature);
    }

    [Test]
    public async Task Query_UserWithNoRows_LookupNullsAndAggregatesOfNothing()
    {
        var result = await QueryAsync(_healthy, 999);

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result["User.Name"], Is.Null);
        Assert.That(result["User.LargeCount"], Is.EqualTo(0));
        Assert.That(result["User.LargestAmount"], Is.Null);
    }

    [Test]
    public async Task Query_NullKey_NothingIsSentAndBothStepsSayWhy()
    {
        var sent = _source.BatchesSent;
        var result = await QueryAsync(_healthy, null);

        Assert.That(_source.BatchesSent, Is.EqualTo(sent));
        Assert.That(result.Errors, Has.Count.EqualTo(Outputs.Length), "every output reads the lookup or the fetch");
        Assert.That(result.Errors, Has.All.Property("Message").Contains("null"));
    }
}

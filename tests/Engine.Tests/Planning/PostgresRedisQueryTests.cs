using Dsl.Engine.Samples;
using Dsl.Engine.Sources;
using Dsl.Engine.Store;
using Dsl.TestSupport.Servers;
using Npgsql;

namespace Dsl.Engine.Tests.Planning;

/// <summary>
/// The sample shop on real servers started by the tests: SQL resolvers on PostgreSQL 15, the online store on redis-server. Expected
/// values are SQL aggregates over the same tables, computed by Postgres.
/// </summary>
public sealed class PostgresRedisQueryTests
{
    private const int Users = 12;
    private static readonly string[] Outputs = SampleShopExpected.Outputs;
    private PostgresSource _source = null!;
    private RedisOnlineStore _store = null!;
    private FeatureEngine _engine = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        await Seed(TestServers.Postgres.ConnectionString);
        _source = new PostgresSource("main", TestServers.Postgres.ConnectionString);
        _store = await RedisOnlineStore.ConnectAsync(TestServers.Redis.Address);
        _engine = await SampleShop.EngineAsync(_source, _store);
    }

    /// <summary>The sample data, made by Postgres the way <see cref="SampleShop.Data"/> makes it in DuckDB.</summary>
    private static async Task Seed(string connectionString)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"""
                DROP TABLE IF EXISTS users; DROP TABLE IF EXISTS transactions;
                CREATE TABLE users AS
                SELECT i::bigint AS id, 'user ' || i AS name, (ARRAY['GB', 'SE', 'FR', 'DE', 'JP'])[1 + i % 5] AS country FROM generate_series(1, {Users}) i;
                CREATE TABLE transactions AS
                SELECT (u * 100000 + k)::bigint AS id, u::bigint AS user_id,
                       TIMESTAMPTZ '2026-06-30 12:00:00+00' - make_interval(days => ((u * 7 + k * 13) % 66) - 6) - make_interval(mins => k) AS at,
                       (((u * 37 + k * 11) % 800) / 4.0)::float8 AS amount
                FROM generate_series(1, {Users}) u, generate_series(0, 49) k;
                CREATE INDEX ON transactions (user_id);
                """, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _store.DisposeAsync();
        await _source.DisposeAsync();
    }

    [Test]
    public async Task Query_OneFeatureFromRedisTheRestFromPostgres_EqualsSqlAggregates()
    {
        var inputs = new Dictionary<string, object?> { ["user.id"] = 9L };
        var options = new QueryOptions { Now = SampleShop.Now };
        var first = await _engine.QueryAsync(inputs, Outputs, options);
        var second = await _engine.QueryAsync(inputs, Outputs, options);

        var expected = await Expected(_source, 9, SampleShop.Now);
        Assert.That(first.Errors, Is.Empty);
        Assert.That(first.Values, Is.EqualTo(expected));
        Assert.That(second.Values, Is.EqualTo(expected));
        Assert.That(second.Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Store));
        Assert.That(second.Metadata.Features["User.Spend30d"].Source, Is.EqualTo(ValueSource.Computed));
        Assert.That(second.Metadata.Plan.Explain()[0], Does.Contain("SQL on postgres 'main'"));
    }

    [Test]
    public async Task QueryMany_EveryUserOnPostgres_EqualsOneAtATimeAndSqlAggregates()
    {
        var options = new QueryOptions { Now = SampleShop.Now, MaxStaleness = new Dictionary<string, TimeSpan> { ["user.total_spend"] = TimeSpan.Zero } };
        var users = Enumerable.Range(1, Users + 1).Select(u => (long)u).ToList();
        var bulk = await _engine.QueryManyAsync(users.Select(u => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["user.id"] = u }).ToList(), Outputs, options);
        var single = new List<QueryResult>();
        foreach (var user in users) single.Add(await _engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = user }, Outputs, options));

        SampleShopExpected.AssertSame(bulk, single);
        for (var i = 0; i < Users; i++) Assert.That(bulk[i].Values, Is.EqualTo(await Expected(_source, users[i], SampleShop.Now)), $"user {users[i]}");
        Assert.That(bulk[Users]["User.Name"], Is.Null, "a user Postgres does not have");
    }

    [Test]
    public async Task Query_PostgresStoppedMidRun_FailsOnlyWhatNeedsItAndRecovers()
    {
        // A server of this test's own: stopping the shared one would break the pooled connections of other fixtures.
        using var server = PostgresServer.Start();
        await Seed(server.ConnectionString);
        await using var source = new PostgresSource("main", server.ConnectionString);
        var engine = await SampleShop.EngineAsync(source);
        var options = new QueryOptions { Now = SampleShop.Now, MaxStaleness = new Dictionary<string, TimeSpan> { ["user.total_spend"] = TimeSpan.Zero } };
        var inputs = new Dictionary<string, object?> { ["user.id"] = 4L };
        Assert.That((await engine.QueryAsync(inputs, ["user.total_spend", "user.id"], options)).Errors, Is.Empty);

        server.Stop();
        try
        {
            var down = await engine.QueryAsync(inputs, ["user.total_spend", "user.id"], options);
            Assert.That(down["User.Id"], Is.EqualTo(4L), "what needs no source is answered");
            var error = down.Errors.Single();
            Assert.That(error.Feature, Is.EqualTo("User.TotalSpend"));
            Assert.That(error.Message, Does.Contain("'main'"), "the error names the source");
        }
        finally
        {
            server.Resume();
        }

        QueryResult? again = null;
        for (var attempt = 0; attempt < 50 && (again is null || again.Errors.Count > 0); attempt++)
        {
            if (again is not null) await Task.Delay(200);
            again = await engine.QueryAsync(inputs, ["user.total_spend"], options);
        }
        Assert.That(again!.Errors, Is.Empty, "queries succeed once Postgres is back");
        Assert.That(again.Values, Is.EqualTo(new Dictionary<string, object?> { ["User.TotalSpend"] = (await Expected(source, 4, SampleShop.Now))["User.TotalSpend"] }));
    }

    private static Task<Dictionary<string, object?>> Expected(PostgresSource source, long user, DateTime now) =>
        SampleShopExpected.ComputeAsync(source, user, now, SampleShopExpected.PostgresTimestamp);
}

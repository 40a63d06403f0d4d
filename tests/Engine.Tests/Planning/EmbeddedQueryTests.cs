using System.Net;
using System.Net.Sockets;
using Dsl.Engine.Samples;
using Dsl.Engine.Sources;
using Dsl.Engine.Store;

namespace Dsl.Engine.Tests.Planning;

/// <summary>
/// The sample shop on the embedded defaults: SQL resolvers on DuckDB in process, the online store on Garnet in process. Expected
/// values are computed independently, by SQL aggregates over the same tables.
/// </summary>
public sealed class EmbeddedQueryTests
{
    private static readonly string[] Outputs = SampleShopExpected.Outputs;
    private DuckDbSource _source = null!;
    private RedisOnlineStore _store = null!;
    private FeatureEngine _engine = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _source = SampleShop.Source(users: 20, transactionsPerUser: 50);
        _store = await RedisOnlineStore.StartEmbeddedAsync();
        _engine = await SampleShop.EngineAsync(_source, _store);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _store.DisposeAsync();
        await _source.DisposeAsync();
    }

    [Test]
    public async Task Query_OneFeatureFromTheStoreTheRestComputed_EqualsSqlAggregates()
    {
        var now = SampleShop.Now;
        var inputs = new Dictionary<string, object?> { ["user.id"] = 7L };
        var options = new QueryOptions { Now = now };

        var first = await _engine.QueryAsync(inputs, Outputs, options);
        Assert.That(first.Errors, Is.Empty);
        Assert.That(first.Metadata.StoreProblem, Is.Null);
        Assert.That(first.Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Computed), "nothing stored yet");

        var second = await _engine.QueryAsync(inputs, Outputs, options);
        Assert.That(second.Errors, Is.Empty);
        Assert.That(second.Metadata.Features["User.TotalSpend"], Is.EqualTo(new FeatureProvenance(ValueSource.Store, TimeSpan.Zero)), "written by the first query");
        Assert.That(second.Metadata.CacheHits, Is.EqualTo(1));
        Assert.That(second.Metadata.Features["User.LargeCount"].Source, Is.EqualTo(ValueSource.Computed));
        Assert.That(second.Metadata.Features["User.Name"].Source, Is.EqualTo(ValueSource.Resolver));
        Assert.That(second.Metadata.Plan.Steps.Select(s => s.Action), Does.Not.Contain("compute User(TotalSpend, LargeCount, Spend30d, LargestAmount, Label)"));

        var expected = await Expected(7, now);
        Assert.That(first.Values, Is.EqualTo(expected));
        Assert.That(second.Values, Is.EqualTo(expected));
    }

    [Test]
    public async Task Query_StaleValue_IsComputedAgain()
    {
        var inputs = new Dictionary<string, object?> { ["user.id"] = 3L };
        await _engine.QueryAsync(inputs, ["user.total_spend"], new QueryOptions { Now = SampleShop.Now });
        var later = await _engine.QueryAsync(inputs, ["user.total_spend"], new QueryOptions { Now = SampleShop.Now.AddMinutes(6) });
        Assert.That(later.Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Computed), "six minutes is past the declared five");
        var overridden = await _engine.QueryAsync(inputs, ["user.total_spend"],
            new QueryOptions { Now = SampleShop.Now.AddMinutes(6), MaxStaleness = new Dictionary<string, TimeSpan> { ["user.total_spend"] = TimeSpan.Zero } });
        Assert.That(overridden.Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Computed), "staleness 0 forces a computation");
    }

    [Test]
    public async Task Query_EveryUser_EqualsSqlAggregates()
    {
        var now = SampleShop.Now.AddDays(-3);
        for (var user = 1L; user <= 20; user++)
        {
            var result = await _engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = user }, Outputs,
                new QueryOptions { Now = now, MaxStaleness = new Dictionary<string, TimeSpan> { ["user.total_spend"] = TimeSpan.Zero } });
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Values, Is.EqualTo(await Expected(user, now)), $"user {user}");
        }
    }

    [Test]
    public async Task QueryMany_EveryUserInOneQuery_EqualsOneAtATimeAndSqlAggregates()
    {
        var options = new QueryOptions { Now = SampleShop.Now.AddDays(-2), MaxStaleness = new Dictionary<string, TimeSpan> { ["user.total_spend"] = TimeSpan.Zero } };
        var users = Enumerable.Range(1, 20).Select(u => (long)u).Append(404).Append(7).ToList();
        var bulk = await _engine.QueryManyAsync(users.Select(u => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["user.id"] = u }).ToList(), Outputs, options);
        var single = new List<QueryResult>();
        foreach (var user in users) single.Add(await _engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = user }, Outputs, options));

        SampleShopExpected.AssertSame(bulk, single);
        for (var i = 0; i < 20; i++) Assert.That(bulk[i].Values, Is.EqualTo(await Expected(users[i], options.Now!.Value)), $"user {users[i]}");
    }

    [Test]
    public async Task QueryMany_SomeUsersInTheStore_ReadsThemAndComputesTheOthers()
    {
        var options = new QueryOptions { Now = SampleShop.Now.AddHours(-5) };
        await _engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 11L }, ["user.total_spend"], options);
        var bulk = await _engine.QueryManyAsync([new Dictionary<string, object?> { ["user.id"] = 11L }, new Dictionary<string, object?> { ["user.id"] = 12L }],
            ["user.total_spend", "user.label"], options);
        Assert.That(bulk[0].Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Store));
        Assert.That(bulk[1].Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Computed));
        Assert.That(bulk[0]["User.TotalSpend"], Is.EqualTo((await Expected(11, options.Now!.Value))["User.TotalSpend"]));
        Assert.That(bulk[1]["User.TotalSpend"], Is.EqualTo((await Expected(12, options.Now!.Value))["User.TotalSpend"]));
        var again = await _engine.QueryManyAsync([new Dictionary<string, object?> { ["user.id"] = 12L }], ["user.total_spend"], options);
        Assert.That(again[0].Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Store), "the bulk query wrote what it computed");
    }

    [Test]
    public async Task Query_StoreDown_ComputesEverythingAndSaysSo()
    {
        await using var down = await RedisOnlineStore.ConnectAsync($"127.0.0.1:{UnusedPort()}", new RedisStoreOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        var engine = await SampleShop.EngineAsync(_source, down);
        var result = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 5L }, Outputs, new QueryOptions { Now = SampleShop.Now });
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Metadata.StoreProblem, Does.StartWith("the online store could not be read, so every value was computed"));
        Assert.That(result.Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Computed));
        Assert.That(result.Values, Is.EqualTo(await Expected(5, SampleShop.Now)));
    }

    [Test]
    public void Explain_SaysSqlSourcesAndWhatIsCompiled()
    {
        var lines = _engine.Explain(["user.id"], ["user.label", "user.total_spend"]).Explain();
        Assert.That(lines[0], Does.StartWith("1. lookup User(Id, Name, Country) by User.Id — resolver 'users_by_id': SQL on duckdb 'main', online"));
        Assert.That(lines[1], Does.StartWith("2. fetch User.Transactions (Transaction rows) by User.Id — resolver 'transactions_by_user': SQL on duckdb 'main', online"));
        Assert.That(lines[2], Is.EqualTo("3. compute User(TotalSpend, Label) — compiled; after 1, 2; compiled: TotalSpend, Label"), "in the set's order");
    }

    private Task<Dictionary<string, object?>> Expected(long user, DateTime now) =>
        SampleShopExpected.ComputeAsync(_source, user, now, SampleShopExpected.DuckDbTimestamp);

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

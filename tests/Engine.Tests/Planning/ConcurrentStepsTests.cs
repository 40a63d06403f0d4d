using System.Collections.Concurrent;
using System.Diagnostics;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Sources;
using Npgsql;

namespace Dsl.Engine.Tests.Planning;

// Inside the namespace, so the sample's User and Transaction win over the test entities of the same names.
using Dsl.Engine.Samples;

/// <summary>
/// Steps whose inputs the query gives run at once: the lookup of the user and the fetch of its transactions both key on the given
/// <c>User.Id</c>, so neither waits for the other, and what each answers or fails with is its own, whichever finishes first.
/// </summary>
public sealed class ConcurrentStepsTests
{
    private static readonly string[] Outputs = ["user.name", "user.label", "user.total_spend", "user.large_count", "user.largest_amount"];

    [Test]
    public void Explain_LookupAndFetchKeyedByTheGivenId_WaitForNothing()
    {
        var plan = MemoryShop.Engine().Explain(["user.id"], ["user.label", "user.total_spend"]);
        var lines = plan.Explain();
        Assert.That(plan.Steps[0].After, Is.Empty, lines[0]);
        Assert.That(plan.Steps[1].After, Is.Empty, "the fetch keys on the given User.Id, not on what the lookup returns: " + lines[1]);
        Assert.That(lines[1], Does.Not.Contain("after"));
        Assert.That(plan.Steps[2].After, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(plan.ProducedBy.ContainsKey("Id"), Is.False, "the lookup returns the id, but the query gave it");
    }

    [Test]
    public async Task Query_LookupAndFetch_AreInFlightTogether()
    {
        // Each resolver waits until the other has started: run one after the other, the first would time out.
        var lookupStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lookup = CSharpResolver.Create<long, User>("user_by_id", "user.id", ["Id", "Name", "Country"], async (id, token) =>
        {
            lookupStarted.TrySetResult();
            await fetchStarted.Task.WaitAsync(token);
            return MemoryShop.Users.Where(u => u.Id == id);
        }, new CSharpResolverOptions { Timeout = TimeSpan.FromSeconds(3) });
        var fetch = CSharpResolver.Create<long, Transaction>("transactions_by_user", "user.id", ["Id", "UserId", "At", "Amount"], async (id, token) =>
        {
            fetchStarted.TrySetResult();
            await lookupStarted.Task.WaitAsync(token);
            return MemoryShop.Transactions.Where(t => t.UserId == id);
        }, new CSharpResolverOptions { Timeout = TimeSpan.FromSeconds(3) });
        var engine = MemoryShop.Builder().AddResolver(lookup).AddResolver(fetch).Build();

        var result = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, Outputs, new QueryOptions { Now = MemoryShop.Now });

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result["User.Label"], Is.EqualTo("Ada (GB)"));
        Assert.That(result["User.TotalSpend"], Is.EqualTo(MemoryShop.Direct(1, MemoryShop.Now)["User.TotalSpend"]));
    }

    [Test]
    public async Task Query_BothStepsFail_EachFeatureHasItsOwnStepsError_EveryTime()
    {
        // The two failures race: whichever comes first, each feature reads the error of the step it depends on, in the outputs' order.
        var engine = MemoryShop.Builder()
            .AddResolver(Failing<User>("user_by_id", ["Id", "Name", "Country"], "the user service is down"))
            .AddResolver(Failing<Transaction>("transactions_by_user", ["Id", "UserId", "At", "Amount"], "the payments database is read-only"))
            .Build();

        var first = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, Outputs, new QueryOptions { Now = MemoryShop.Now });
        Assert.That(first.Errors.Select(e => e.Feature), Is.EqualTo(new[] { "User.Name", "User.Label", "User.TotalSpend", "User.LargeCount", "User.LargestAmount" }));
        Assert.That(first.Errors[0].Message, Is.EqualTo("the user service is down"));
        Assert.That(first.Errors[1].Message, Does.Contain("reads User.Name, which failed: the user service is down").Or.Contain("reads User.Country, which failed: the user service is down"));
        Assert.That(first.Errors.Skip(2).Select(e => e.Message), Has.All.Contains("reads User.Transactions, which failed: the payments database is read-only"));
        Assert.That(first.Errors.Select(e => e.ExceptionType), Has.All.EqualTo(typeof(InvalidOperationException).FullName));

        for (var i = 0; i < 50; i++)
        {
            var again = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, Outputs, new QueryOptions { Now = MemoryShop.Now });
            Assert.That(again.Errors, Is.EqualTo(first.Errors), $"run {i}");
        }
    }

    [Test]
    public async Task Query_LookupFails_FetchedAggregatesAreStillAnswered()
    {
        // The fetch keys on the id the query gave, so it does not depend on the lookup: its aggregates are answered, the lookup's
        // features and what reads them fail with the lookup's error.
        var engine = MemoryShop.Builder()
            .AddResolver(Failing<User>("user_by_id", ["Id", "Name", "Country"], "the user service is down"))
            .AddResolver(MemoryShop.TransactionsOfUser())
            .Build();
        var result = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, Outputs, new QueryOptions { Now = MemoryShop.Now });
        var direct = MemoryShop.Direct(1, MemoryShop.Now);

        Assert.That(result.Errors.Select(e => e.Feature), Is.EqualTo(new[] { "User.Name", "User.Label" }));
        Assert.That(result.Errors, Has.All.Property("Message").Contains("the user service is down"));
        Assert.That(result["User.TotalSpend"], Is.EqualTo(direct["User.TotalSpend"]));
        Assert.That(result["User.LargeCount"], Is.EqualTo(direct["User.LargeCount"]));
        Assert.That(result["User.LargestAmount"], Is.EqualTo(direct["User.LargestAmount"]));
    }

    [Test]
    public async Task QueryMany_ConcurrentSteps_ResultsInTheOrderGivenAndEqualToOneAtATime()
    {
        // Lookups answer in reverse order of the users (the last user's first), so completion order differs from the order given.
        var lookup = CSharpResolver.Create<long, User>("user_by_id", "user.id", ["Id", "Name", "Country"], async (id, token) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10 * (4 - id)), token);
            return MemoryShop.Users.Where(u => u.Id == id);
        });
        var engine = MemoryShop.Builder().AddResolver(lookup).AddResolver(MemoryShop.TransactionsOfUser()).Build();
        var options = new QueryOptions { Now = MemoryShop.Now };
        var users = new long[] { 1, 2, 3, 4 };

        var bulk = await engine.QueryManyAsync([.. users.Select(u => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["user.id"] = u })], Outputs, options);

        for (var i = 0; i < users.Length; i++)
        {
            var alone = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = users[i] }, Outputs, options);
            Assert.That(bulk[i].Values, Is.EqualTo(alone.Values), $"user {users[i]}");
            Assert.That(bulk[i].Errors, Is.EqualTo(alone.Errors), $"user {users[i]}");
        }
        Assert.That(bulk.Select(r => r["User.Name"]), Is.EqualTo(new object?[] { "Ada", "Bo", "Cy", null }));
    }

    [Test]
    public async Task Query_CSharpResolverWithEffectsAndTimeout_AlongsideASqlLookupOnPostgres()
    {
        await using (var connection = new NpgsqlConnection(TestServers.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                DROP TABLE IF EXISTS concurrent_users;
                CREATE TABLE concurrent_users AS SELECT i::bigint AS id, 'user ' || i AS name, 'GB' AS country FROM generate_series(1, 3) i;
                """, connection);
            await command.ExecuteNonQueryAsync();
        }
        await using var source = new PostgresSource("main", TestServers.Postgres.ConnectionString);
        const string usersSql = "-- resolves: User\n-- source: main\nSELECT id, name, country FROM concurrent_users WHERE id = ${user.id}";

        // The C# resolver has an effect (it records each call) and a timeout; the SQL lookup runs while it does.
        var calls = new ConcurrentQueue<long>();
        async Task<FeatureEngine> EngineAsync(TimeSpan delay) => await MemoryShop.Builder()
            .AddSource(source)
            .AddSqlResolver(SqlResolver.Parse(usersSql, "concurrent_users.sql"))
            .AddResolver(CSharpResolver.Create<long, Transaction>("transactions_by_user", "user.id", ["Id", "UserId", "At", "Amount"], async (id, token) =>
            {
                calls.Enqueue(id);
                await Task.Delay(delay, token);
                return MemoryShop.Transactions.Where(t => t.UserId == id);
            }, new CSharpResolverOptions { Timeout = TimeSpan.FromMilliseconds(300) }))
            .BuildAsync();
        var options = new QueryOptions { Now = MemoryShop.Now };

        var inTime = await (await EngineAsync(TimeSpan.FromMilliseconds(20))).QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, Outputs, options);
        Assert.That(inTime.Errors, Is.Empty, string.Join("\n", inTime.Errors));
        Assert.That(inTime["User.Label"], Is.EqualTo("user 1 (GB)"));
        Assert.That(inTime["User.TotalSpend"], Is.EqualTo(MemoryShop.Direct(1, MemoryShop.Now)["User.TotalSpend"]));
        Assert.That(inTime.Metadata.Plan.Explain()[0], Does.Contain("SQL on postgres 'main'"));
        Assert.That(calls, Is.EqualTo(new[] { 1L }), "the resolver's effect happened once");

        var clock = Stopwatch.StartNew();
        var late = await (await EngineAsync(TimeSpan.FromSeconds(30))).QueryAsync(new Dictionary<string, object?> { ["user.id"] = 2L }, Outputs, options);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the slow resolver is abandoned at its timeout");
        Assert.That(late["User.Name"], Is.EqualTo("user 2"), "the SQL lookup is answered");
        Assert.That(late["User.Label"], Is.EqualTo("user 2 (GB)"));
        Assert.That(late.Errors.Select(e => e.Feature), Is.EqualTo(new[] { "User.TotalSpend", "User.LargeCount", "User.LargestAmount" }));
        Assert.That(late.Errors, Has.All.Property("Message").Contains("Resolver 'transactions_by_user' took longer than its timeout of 300 ms"));
        Assert.That(late.Errors, Has.All.Property("ExceptionType").EqualTo(typeof(TimeoutException).FullName));
        Assert.That(calls, Is.EqualTo(new[] { 1L, 2L }));
    }

    private static CSharpResolver Failing<T>(string name, string[] outputs, string message) where T : class =>
        CSharpResolver.Create<long, T>(name, "user.id", outputs, async (_, token) =>
        {
            await Task.Yield();
            throw new InvalidOperationException(message);
        });
}

using Dsl.Engine.Planning;

namespace Dsl.Engine.Tests.Planning;

public sealed class QueryTests
{
    private static readonly string[] Computed = ["user.total_spend", "user.large_count", "user.spend30d", "user.largest_amount", "user.label"];

    [Test]
    public async Task QueryAsync_UserAndTransactions_EqualsTheDirectComputation()
    {
        var engine = MemoryShop.Engine();
        foreach (var user in MemoryShop.Users)
        {
            var result = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = user.Id }, Computed, new QueryOptions { Now = MemoryShop.Now });
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Values, Is.EqualTo(MemoryShop.Direct(user.Id, MemoryShop.Now)), $"user {user.Id}");
        }
        Assert.That(engine.Planner.CachedPlans, Is.EqualTo(1), "one shape, one plan");
    }

    [Test]
    public async Task QueryAsync_SameOutputsInAnotherOrder_SamePlanAndValues()
    {
        var engine = MemoryShop.Engine();
        var inputs = new Dictionary<string, object?> { ["user.id"] = 1L };
        var options = new QueryOptions { Now = MemoryShop.Now };
        var forward = await engine.QueryAsync(inputs, Computed, options);
        var backward = await engine.QueryAsync(inputs, [.. Computed.Reverse()], options);
        var again = await engine.QueryAsync(inputs, Computed, options);

        Assert.That(backward.Metadata.Plan, Is.SameAs(forward.Metadata.Plan));
        Assert.That(again.Metadata.Plan, Is.SameAs(forward.Metadata.Plan));
        Assert.That(engine.Planner.CachedPlans, Is.EqualTo(1), "one shape, one plan, whatever the order");
        Assert.That(backward.Values.Keys, Is.EqualTo(forward.Values.Keys.Reverse()), "answered in the order asked");
        Assert.That(backward.Values, Is.EquivalentTo(forward.Values));
    }

    [Test]
    public async Task QueryAsync_KnownOutputsWithBadInputs_ReportTheInputAsTheFirstQueryDid()
    {
        var engine = MemoryShop.Engine();
        var options = new QueryOptions { Now = MemoryShop.Now };
        await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, Computed, options);

        // The outputs' shape is now known; inputs are still checked one by one, with the messages a first query gets.
        var wrongType = Assert.ThrowsAsync<QueryException>(() => engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = "x" }, Computed, options));
        Assert.That(wrongType!.Message, Does.Contain("user.id").IgnoreCase.And.Contain("cannot be read"));
        var unknown = Assert.ThrowsAsync<QueryException>(() => engine.QueryAsync(new Dictionary<string, object?> { ["user.nope"] = 1L }, Computed, options));
        var unknownFirst = Assert.ThrowsAsync<QueryException>(() => MemoryShop.Engine().QueryAsync(new Dictionary<string, object?> { ["user.nope"] = 1L }, Computed, options));
        Assert.That(unknown!.Message, Is.EqualTo(unknownFirst!.Message));
        var relation = Assert.ThrowsAsync<QueryException>(() => engine.QueryAsync(new Dictionary<string, object?> { ["user.transactions"] = 1L }, Computed, options));
        Assert.That(relation!.Message, Does.Contain("relation"));
        var answered = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 2L }, Computed, options);
        Assert.That(answered.Values, Is.EqualTo(MemoryShop.Direct(2L, MemoryShop.Now)));
    }

    [Test]
    public async Task QueryAsync_ResolverFeatureAndComputed_SaySourceInMetadata()
    {
        var engine = MemoryShop.Engine();
        var result = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, ["user.name", "user.total_spend", "user.id"],
            new QueryOptions { Now = MemoryShop.Now });
        Assert.That(result["User.Name"], Is.EqualTo("Ada"));
        Assert.That(result["User.TotalSpend"], Is.EqualTo(220.5));
        Assert.That(result.Metadata.Features["User.Name"].Source, Is.EqualTo(ValueSource.Resolver));
        Assert.That(result.Metadata.Features["User.TotalSpend"].Source, Is.EqualTo(ValueSource.Computed));
        Assert.That(result.Metadata.Features["User.Id"].Source, Is.EqualTo(ValueSource.Input));
    }

    [Test]
    public void Explain_ListsLookupFetchAndCompiledComputation()
    {
        var plan = MemoryShop.Engine().Explain(["user.id"], ["user.label", "user.large_count"]);
        var lines = plan.Explain();
        Assert.That(lines, Has.Count.EqualTo(3), string.Join("\n", lines));
        Assert.That(lines[0], Does.StartWith("1. lookup User(Id, Name, Country) by User.Id — resolver 'user_by_id': C# (not compiled), online"));
        Assert.That(lines[1], Does.StartWith("2. fetch User.Transactions (Transaction rows) by User.Id — resolver 'transactions_by_user'"));
        Assert.That(lines[1], Does.Contain("then Transaction(IsLarge) over the rows: compiled: IsLarge"));
        Assert.That(lines[2], Is.EqualTo("3. compute User(LargeCount, Label) — compiled; after 1, 2; compiled: LargeCount, Label"));
    }

    [Test]
    public async Task QueryAsync_ResolverSlowerThanItsTimeout_FailsItsFeaturesOnly()
    {
        var engine = MemoryShop.Builder()
            .AddResolver(MemoryShop.UserLookup())
            .AddResolver(MemoryShop.TransactionsOfUser(timeout: TimeSpan.FromMilliseconds(100), delay: TimeSpan.FromSeconds(30)))
            .Build();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, ["user.total_spend", "user.label"],
            new QueryOptions { Now = MemoryShop.Now });
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(result["User.Label"], Is.EqualTo("Ada (GB)"));
        Assert.That(result["User.TotalSpend"], Is.Null);
        var error = result.Errors.Single();
        Assert.That(error.Feature, Is.EqualTo("User.TotalSpend"));
        Assert.That(error.ExceptionType, Is.EqualTo("System.TimeoutException"));
        Assert.That(error.Message, Does.Contain("Resolver 'transactions_by_user' took longer than its timeout of 100 ms"));
    }

    [Test]
    public void QueryAsync_BadQueries_AreQueryExceptionsNamingTheProblem()
    {
        var engine = MemoryShop.Engine();
        Assert.That(() => engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = "x" }, ["user.total_spend"]),
            Throws.TypeOf<QueryException>().With.Message.Contains("User.Id cannot be read as long"));
        Assert.That(() => engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, ["user.nope"]),
            Throws.TypeOf<QueryException>().With.Message.Contains("'user.nope' names no feature of User"));
        Assert.That(() => engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, ["transaction.amount"]),
            Throws.TypeOf<QueryException>().With.Message.Contains("a query is about one entity"));
    }

    [Test]
    public async Task QueryAsync_UnknownUser_GivesNullsAndAggregatesOfNoRows()
    {
        var result = await MemoryShop.Engine().QueryAsync(new Dictionary<string, object?> { ["user.id"] = 99L }, ["user.name", "user.total_spend", "user.largest_amount"],
            new QueryOptions { Now = MemoryShop.Now });
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result["User.Name"], Is.Null);
        Assert.That(result["User.TotalSpend"], Is.EqualTo(0.0));
        Assert.That(result["User.LargestAmount"], Is.Null);
    }
}

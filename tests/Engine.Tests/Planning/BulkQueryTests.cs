using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Tests.Planning;

// Inside the namespace, so the sample's User and Transaction win over the test entities of the same names.
using Dsl.Engine.Samples;

/// <summary>
/// <see cref="FeatureEngine.QueryManyAsync"/>: many entities in one query answer exactly as each asked alone — values, errors and
/// where each value came from — including an unknown entity, an entity given twice, and an entity whose resolver fails alone.
/// </summary>
public sealed class BulkQueryTests
{
    private static readonly string[] Outputs = ["user.name", "user.total_spend", "user.large_count", "user.spend30d", "user.largest_amount", "user.label"];

    private static IReadOnlyDictionary<string, object?> User(long id) => new Dictionary<string, object?> { ["user.id"] = id };

    [Test]
    public async Task QueryMany_CSharpResolvers_EqualsOneAtATimeAndCallsEachResolverOncePerDistinctEntity()
    {
        var users = new CountingResolver(MemoryShop.UserLookup());
        var transactions = new CountingResolver(MemoryShop.TransactionsOfUser());
        var engine = MemoryShop.Builder().AddResolver(users).AddResolver(transactions).Build();
        long[] ids = [1, 2, 99, 3, 1];
        var options = new QueryOptions { Now = MemoryShop.Now };

        var bulk = await engine.QueryManyAsync(ids.Select(User).ToList(), Outputs, options);
        Assert.That((users.Calls, transactions.Calls), Is.EqualTo((4, 4)), "user 1, given twice, is looked up once");
        var single = new List<QueryResult>();
        foreach (var id in ids) single.Add(await engine.QueryAsync(User(id), Outputs, options));

        SampleShopExpected.AssertSame(bulk, single);
        Assert.That(bulk[0]["User.TotalSpend"], Is.EqualTo(MemoryShop.Direct(1, MemoryShop.Now)["User.TotalSpend"]));
        Assert.That(bulk[2]["User.Name"], Is.Null, "an unknown user");
    }

    [Test]
    public async Task QueryMany_ResolverFailsForOneEntity_FailsThatEntityOnly()
    {
        var failing = CSharpResolver.Create<long, Transaction>("transactions_by_user", "user.id", ["Id", "UserId", "At", "Amount"], (id, _) =>
            id == 2 ? throw new InvalidOperationException("the payments service refused user 2")
                : Task.FromResult(MemoryShop.Transactions.Where(t => t.UserId == id)));
        var engine = MemoryShop.Builder().AddResolver(MemoryShop.UserLookup()).AddResolver(failing).Build();
        var options = new QueryOptions { Now = MemoryShop.Now };

        var bulk = await engine.QueryManyAsync([User(1), User(2), User(3)], Outputs, options);
        var single = new[] { await engine.QueryAsync(User(1), Outputs, options), await engine.QueryAsync(User(2), Outputs, options), await engine.QueryAsync(User(3), Outputs, options) };

        SampleShopExpected.AssertSame(bulk, single);
        Assert.That(bulk[0].Errors, Is.Empty);
        Assert.That(bulk[2].Errors, Is.Empty);
        Assert.That(bulk[1]["User.Label"], Is.EqualTo("Bo (SE)"), "what does not read the transactions is answered");
        Assert.That(bulk[1].Errors.Select(e => e.Feature), Is.EqualTo(new[] { "User.TotalSpend", "User.LargeCount", "User.Spend30d", "User.LargestAmount" }));
        Assert.That(bulk[1].Errors.Select(e => e.Message), Has.All.Contains("the payments service refused user 2"));
    }

    [Test]
    public void QueryMany_EntitiesOfDifferentShapes_AreRefused()
    {
        var engine = MemoryShop.Engine();
        Assert.That(() => engine.QueryManyAsync([User(1), new Dictionary<string, object?> { ["user.id"] = 2L, ["user.name"] = "x" }], Outputs),
            Throws.TypeOf<QueryException>().With.Message.Contains("Entity 2 of 2 gives User.Id, User.Name, but the first gives User.Id"));
        Assert.That(() => engine.QueryManyAsync([User(1), new Dictionary<string, object?> { ["user.id"] = "x" }], Outputs),
            Throws.TypeOf<QueryException>().With.Message.StartsWith("Entity 2 of 2: ").And.Message.Contains("cannot be read as long"));
        Assert.That(() => engine.QueryManyAsync([], Outputs), Throws.TypeOf<QueryException>().With.Message.Contains("gives no entities"));
    }
}

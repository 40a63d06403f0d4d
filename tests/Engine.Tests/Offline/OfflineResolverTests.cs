using Dsl.Engine.Resolvers;
using Dsl.Engine.Values;

namespace Dsl.Engine.Tests.Offline;

using Dsl.Engine.Samples;

/// <summary>Recomputation prefers an offline resolver over an online one giving the same features; online queries never use it.</summary>
public sealed class OfflineResolverTests
{
    [Test]
    public async Task Recomputation_reads_the_offline_resolver_and_online_queries_the_online_one()
    {
        var engine = new FeatureEngineBuilder().AddFeatureSet(new UserFeatures()).AddFeatureSet(new TransactionFeatures())
            .AddResolver(CSharpResolver.Create<long, User>("user_online", "user.id", ["Id", "Name", "Country"],
                (id, _) => Task.FromResult<IEnumerable<User>>([new User { Id = id, Name = "online", Country = "SE" }])))
            .AddResolver(CSharpResolver.Create<long, User>("user_warehouse", "user.id", ["Id", "Name", "Country"],
                (id, _) => Task.FromResult<IEnumerable<User>>([new User { Id = id, Name = "warehouse", Country = "SE" }]),
                new CSharpResolverOptions { Kind = ResolverKind.Offline }))
            .AddResolver(CSharpResolver.Create<long, Transaction>("transactions_by_user", "user.id", ["Id", "UserId", "At", "Amount"],
                (_, _) => Task.FromResult<IEnumerable<Transaction>>([])))
            .Build();
        var online = await engine.QueryAsync(new Dictionary<string, object?> { ["user.id"] = 1L }, ["user.label"], new QueryOptions { Now = OfflineShop.Base });
        var offline = await engine.OfflineQueryAsync(OfflineShop.Spine([(1, OfflineShop.Base)]), ["user.label"]);
        Assert.That(online["User.Label"], Is.EqualTo("online (SE)"));
        Assert.That(ArrowCells.Read(offline.Batch.Column("User.Label"), 0), Is.EqualTo("warehouse (SE)"));
    }
}

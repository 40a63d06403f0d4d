using Dsl.Engine.Graph;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Tests.Planning;

namespace Dsl.Engine.Tests.Graph;

// Inside the namespace, so the sample's User and Transaction win over the test entities of the same names.
using Dsl.Engine.Samples;

public sealed class EngineGraphTests
{
    [Test]
    public void Build_KnowsEntitiesFeaturesAndResolvers()
    {
        var graph = MemoryShop.Engine().Graph;
        Assert.That(graph.Entities.Select(e => e.Name), Is.EquivalentTo(new[] { "User", "Transaction" }));
        Assert.That(graph.Resolvers.Select(r => r.ToString()), Is.EqualTo(new[]
        {
            "user_by_id: User(Id, Name, Country) by User.Id — C# (not compiled), online",
            "transactions_by_user: Transaction(Id, UserId, At, Amount) by User.Id — C# (not compiled), online",
        }));
        Assert.That(graph.FindEntity("user")!.MaxStaleness["TotalSpend"], Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public void Build_FeatureNothingProduces_NamesEntityAndFeature()
    {
        var lookup = CSharpResolver.Create<long, User>("names_only", "user.id", ["Name"], (_, _) => Task.FromResult(Enumerable.Empty<User>()));
        var e = Assert.Throws<EngineDefinitionException>(() => MemoryShop.Builder().AddResolver(lookup).AddResolver(MemoryShop.TransactionsOfUser()).Build());
        Assert.That(e!.Message, Is.EqualTo("User.Country: nothing can produce it: it is an input, and no resolver returns it (add a column to a resolver of User, or define it in UserFeatures)"));
    }

    [Test]
    public void Build_RelationNoResolverFetches_NamesTheKeys()
    {
        var e = Assert.Throws<EngineDefinitionException>(() => MemoryShop.Builder().AddResolver(MemoryShop.UserLookup()).Build());
        Assert.That(e!.Message, Does.StartWith("Transaction.Id: nothing can produce it").Or.StartWith("User.Transactions: nothing can produce it"));
    }

    [Test]
    public void Build_TwoOnlineResolversForOneFeature_NeedARule()
    {
        var second = CSharpResolver.Create<long, User>("user_by_id_v2", "user.id", ["Name"], (_, _) => Task.FromResult(Enumerable.Empty<User>()));
        var builder = MemoryShop.Builder().AddResolver(MemoryShop.UserLookup()).AddResolver(MemoryShop.TransactionsOfUser()).AddResolver(second);
        var e = Assert.Throws<EngineDefinitionException>(() => builder.Build());
        Assert.That(e!.Message, Is.EqualTo("User.Name (resolver 'user_by_id'): two online resolvers give it from the same inputs ('user_by_id' and 'user_by_id_v2'); prefer one (FeatureEngineBuilder.Prefer)"));
        Assert.That(builder.Prefer("user_by_id_v2").Build().Explain(["user.id"], ["user.name"]).Explain()[0], Does.Contain("'user_by_id_v2'"));
    }

    [Test]
    public void Build_ResolverColumnNamingNoFeature_NamesResolverAndColumn()
    {
        var bad = CSharpResolver.Create<long, Transaction>("bad", "user.id", ["Id", "UserId", "At", "Amount", "IsLarge"], (_, _) => Task.FromResult(Enumerable.Empty<Transaction>()));
        var e = Assert.Throws<EngineDefinitionException>(() => MemoryShop.Builder().AddResolver(MemoryShop.UserLookup()).AddResolver(bad).Build());
        Assert.That(e!.Message, Does.StartWith("Transaction.IsLarge (resolver 'bad'): returns column 'IsLarge', but Transaction.IsLarge is computed by its definition"));
    }

    public sealed class Owner
    {
        [PrimaryKey] public long Id { get; set; }
        public IReadOnlyList<Pet> Pets { get; set; } = [];
        public int PetCount { get; set; }
    }

    public sealed class Pet
    {
        [PrimaryKey] public long Id { get; set; }
        public long OwnerId { get; set; }
        public Owner? Owner { get; set; }
        public int OwnersPets { get; set; }
    }

    [Test]
    public void Build_CycleAcrossEntities_NamesTheFeaturesOnIt()
    {
        var owners = new FeatureSet<Owner>(f => f.Define(o => o.PetCount, _ => _.Pets.Count()));
        var pets = new FeatureSet<Pet>(f => f.Resolve(p => p.OwnersPets, (Owner? owner) => owner == null ? 0 : owner.PetCount));
        var lookup = CSharpResolver.Create<long, Pet>("pets", "owner.id", ["Id", "OwnerId"], (_, _) => Task.FromResult(Enumerable.Empty<Pet>()));
        var e = Assert.Throws<EngineDefinitionException>(() => new FeatureEngineBuilder().AddFeatureSet(owners).AddFeatureSet(pets).AddResolver(lookup).Build());
        Assert.That(e!.Message, Does.Contain("entities depend on each other in a cycle: Owner.PetCount reads Owner.Pets (Pet) -> Pet.OwnersPets reads Pet.Owner (Owner)"));
    }
}

using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Tests.Planning;

// Inside the namespace, so the sample's User and Transaction win over the test entities of the same names.
using Dsl.Engine.Samples;

/// <summary>The sample users and transactions in memory, served by C# resolvers: the planner's tests without a database.</summary>
internal static class MemoryShop
{
    public static readonly DateTime Now = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    public static readonly User[] Users =
    [
        new() { Id = 1, Name = "Ada", Country = "GB" },
        new() { Id = 2, Name = "Bo", Country = "SE" },
        new() { Id = 3, Name = "Cy", Country = "FR" },
    ];

    public static readonly Transaction[] Transactions =
    [
        new() { Id = 10, UserId = 1, At = Now.AddDays(-1), Amount = 50 },
        new() { Id = 11, UserId = 1, At = Now.AddDays(-3), Amount = 150.5 },
        new() { Id = 12, UserId = 1, At = Now.AddDays(-40), Amount = 20 },
        new() { Id = 13, UserId = 2, At = Now.AddDays(-2), Amount = 500 },
        new() { Id = 14, UserId = 2, At = Now.AddDays(1), Amount = 9999 },
    ];

    public static CSharpResolver UserLookup(TimeSpan? delay = null) =>
        CSharpResolver.Create<long, User>("user_by_id", "user.id", ["Id", "Name", "Country"], async (id, token) =>
        {
            if (delay is { } wait) await Task.Delay(wait, token);
            return Users.Where(u => u.Id == id);
        });

    public static CSharpResolver TransactionsOfUser(TimeSpan? timeout = null, TimeSpan? delay = null) =>
        CSharpResolver.Create<long, Transaction>("transactions_by_user", "user.id", ["Id", "UserId", "At", "Amount"], async (id, token) =>
        {
            if (delay is { } wait) await Task.Delay(wait, token);
            return Transactions.Where(t => t.UserId == id);
        }, new CSharpResolverOptions { Timeout = timeout ?? TimeSpan.FromSeconds(5) });

    public static FeatureEngineBuilder Builder() => new FeatureEngineBuilder()
        .AddFeatureSet(new UserFeatures())
        .AddFeatureSet(new TransactionFeatures());

    public static FeatureEngine Engine() => Builder().AddResolver(UserLookup()).AddResolver(TransactionsOfUser()).Build();

    /// <summary>The sample's features computed directly, from the objects, by the compiled feature sets' online path.</summary>
    public static IReadOnlyDictionary<string, object?> Direct(long userId, DateTime now)
    {
        var user = Users.Single(u => u.Id == userId);
        var transactionFeatures = new TransactionFeatures().Compile();
        var transactions = Transactions.Where(t => t.UserId == userId)
            .Select(t => new Transaction { Id = t.Id, UserId = t.UserId, At = t.At, Amount = t.Amount, IsLarge = (bool)transactionFeatures.Evaluate(t)["IsLarge"]! })
            .ToList();
        var copy = new User { Id = user.Id, Name = user.Name, Country = user.Country, Transactions = transactions };
        var row = new UserFeatures().Compile().Evaluate(copy, now);
        return new[] { "TotalSpend", "LargeCount", "Spend30d", "LargestAmount", "Label" }.ToDictionary(f => "User." + f, f => row[f]);
    }
}

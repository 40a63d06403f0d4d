namespace Dsl.Engine.Tests;

/// <summary>The entities of the engine tests: a user and their transactions (has-many by <c>Transaction.UserId</c>).</summary>
public sealed class User
{
    [PrimaryKey]
    public long Id { get; set; }

    public string? FullName { get; set; }

    public int? Age { get; set; }

    public double? Score { get; set; }

    public bool? Active { get; set; }

    public DateTime? CreatedAt { get; set; }

    public decimal? Balance { get; set; }

    public DateOnly? Birthday { get; set; }

    public string? Email { get; set; }

    public IReadOnlyList<Transaction> Transactions { get; set; } = [];
}

public sealed class Transaction
{
    [PrimaryKey]
    public long Id { get; set; }

    public long UserId { get; set; }

    public double Amount { get; set; }

    [EventTime]
    public DateTime At { get; set; }

    public string? Merchant { get; set; }
}

/// <summary>The feature sets the resolvers bind against.</summary>
internal static class TestEntities
{
    public static readonly FeatureSet<User> Users = new(_ => { }, "UserFeatures");

    public static readonly FeatureSet<Transaction> Transactions = new(_ => { }, "TransactionFeatures");

    public static IReadOnlyList<FeatureSet> All => [Users, Transactions];
}

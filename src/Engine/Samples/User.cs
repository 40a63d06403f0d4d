namespace Dsl.Engine.Samples;

/// <summary>
/// The engine's reference entity: a user with transactions. <see cref="Name"/> and <see cref="Country"/> come from a lookup
/// resolver, <see cref="Transactions"/> from a resolver of <see cref="Transaction"/> keyed by the user's id, and
/// <see cref="UserFeatures"/> computes the rest.
/// </summary>
public sealed class User
{
    /// <summary>The user's id: what queries give.</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The user's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The user's country (ISO code).</summary>
    public string Country { get; set; } = "";

    /// <summary>The user's transactions (has-many, joined by <see cref="Transaction.UserId"/>).</summary>
    public IReadOnlyList<Transaction> Transactions { get; set; } = [];

    /// <summary>Computed: the sum of the amounts. May be five minutes stale when read from the online store.</summary>
    [MaxStaleness("5m")]
    public double TotalSpend { get; set; }

    /// <summary>Computed: the number of large transactions (<see cref="Transaction.IsLarge"/>).</summary>
    public int LargeCount { get; set; }

    /// <summary>Computed: the spend of the last 30 days before now.</summary>
    public double Spend30d { get; set; }

    /// <summary>Computed: the largest amount, null without transactions.</summary>
    public double? LargestAmount { get; set; }

    /// <summary>Computed: the name with the country, as <c>Ada (GB)</c>.</summary>
    public string Label { get; set; } = "";
}

/// <summary>A transaction of a user.</summary>
public sealed class Transaction
{
    /// <summary>The transaction's id.</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The user's id.</summary>
    public long UserId { get; set; }

    /// <summary>When it happened (UTC); rows after a query's now are invisible to it.</summary>
    [EventTime]
    public DateTime At { get; set; }

    /// <summary>The amount.</summary>
    public double Amount { get; set; }

    /// <summary>Computed: the amount is above 100.</summary>
    public bool IsLarge { get; set; }
}

/// <summary>The features of <see cref="User"/>: aggregations over its transactions, and one over its own inputs.</summary>
public sealed class UserFeatures : FeatureSet<User>
{
    /// <inheritdoc />
    protected override void Define(FeatureSetBuilder<User> features) => features
        .Define(u => u.TotalSpend, _ => _.Transactions.Sum(t => t.Amount))
        .Define(u => u.LargeCount, _ => _.Transactions.Count(t => t.IsLarge))
        .Define(u => u.Spend30d, _ => _.Transactions.Where(t => t.At > F.Now - TimeSpan.FromDays(30)).Sum(t => t.Amount))
        .Define(u => u.LargestAmount, _ => _.Transactions.Max(t => (double?)t.Amount))
        .Define(u => u.Label, _ => _.Name + " (" + _.Country + ")");
}

/// <summary>The features of <see cref="Transaction"/>, computed over the rows fetched for a user.</summary>
public sealed class TransactionFeatures : FeatureSet<Transaction>
{
    /// <inheritdoc />
    protected override void Define(FeatureSetBuilder<Transaction> features) => features
        .Define(t => t.IsLarge, _ => _.Amount > 100);
}

namespace Dsl.Samples;

/// <summary>
/// A buyer with its <see cref="Transaction"/>s: a has-many relation found by convention (<c>Transaction.UserId</c> =
/// <c>User.Id</c>), whose event time is <see cref="Transaction.CreatedAt"/>. <see cref="UserFeatures"/> aggregates it.
/// </summary>
public sealed class User
{
    /// <summary>The user's id.</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The user's transactions, in the order they were recorded.</summary>
    public IReadOnlyList<Transaction> Transactions { get; set; } = [];

    /// <summary>Computed: the sum of the subtotals in the last day, 7 days and 30 days (<c>Spend[1d]</c>, …).</summary>
    public Windowed<double> Spend { get; set; } = new();

    /// <summary>Computed: how many transactions the user made up to now.</summary>
    public int TransactionCount { get; set; }

    /// <summary>Computed: the mean subtotal; null for a user without transactions.</summary>
    public double? MeanSubtotal { get; set; }

    /// <summary>Computed: the subtotal of the user's most recent transaction; null for a user without transactions.</summary>
    public double? LastSubtotal { get; set; }

    /// <summary>Computed: how many transactions were above 1000.</summary>
    public int LargeTransactions { get; set; }
}

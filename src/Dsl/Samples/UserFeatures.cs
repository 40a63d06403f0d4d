namespace Dsl.Samples;

/// <summary>
/// The features of <see cref="User"/>, aggregations over its transactions: windowed spend (one definition, three
/// windows), a count, a mean, the most recent transaction's subtotal (<c>_</c> expressions) and a filtered count
/// (a resolver over the related rows). Each sees only the transactions made up to the time it is computed for.
/// </summary>
public sealed class UserFeatures : FeatureSet<User>
{
    /// <inheritdoc />
    protected override void Define(FeatureSetBuilder<User> features) => features
        .Windowed(u => u.Spend, ["1d", "7d", "30d"], _ => _.Transactions.Sum(t => t.Subtotal))
        .Define(u => u.TransactionCount, _ => _.Transactions.Count())
        .Define(u => u.MeanSubtotal, _ => _.Transactions.Average(t => (double?)t.Subtotal))
        .Define(u => u.LastSubtotal, _ => _.Transactions.Any() ? _.Transactions.MaxBy(t => t.CreatedAt)!.Subtotal : (double?)null)
        .Resolve(u => u.LargeTransactions, LargeTransactions);

    /// <summary>The number of transactions whose subtotal is above 1000.</summary>
    public static int LargeTransactions(IReadOnlyList<Transaction> transactions)
    {
        var count = 0;
        foreach (var transaction in transactions)
        {
            if (transaction.Subtotal > 1000) count++;
        }
        return count;
    }
}

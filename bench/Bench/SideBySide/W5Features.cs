namespace Dsl.Bench.SideBySide;

/// <summary>W5's parent: a user of the benchmark data (ids 0 .. users − 1), with the transactions that name it.</summary>
public sealed class W5User
{
    /// <summary>The user's id (the data's <c>user_id</c>).</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The user's transactions (the rows of bench.arrow whose <c>user_id</c> is <see cref="Id"/>).</summary>
    public IReadOnlyList<W5Transaction> Transactions { get; set; } = [];

    /// <summary>W5: the amount spent in the last 30 days.</summary>
    public double Spend30d { get; set; }

    /// <summary>W5: the number of transactions in the last 30 days.</summary>
    public int Count30d { get; set; }

    /// <summary>W5: the mean amount in the last 30 days (an error, so null, for a user with none).</summary>
    public double Mean30d { get; set; }

}

/// <summary>W5's parent for the windowed definitions (a property of type <see cref="Windowed{T}"/> needs its definition).</summary>
public sealed class W5WindowedUser
{
    /// <summary>The user's id (the data's <c>user_id</c>).</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The user's transactions.</summary>
    public IReadOnlyList<W5Transaction> Transactions { get; set; } = [];

    /// <summary>W5 as windowed definitions: the spend per window.</summary>
    public Windowed<double> Spend { get; set; } = new();

    /// <summary>W5 as windowed definitions: the count per window.</summary>
    public Windowed<int> Count { get; set; } = new();

    /// <summary>W5 as windowed definitions: the mean per window.</summary>
    public Windowed<double> Mean { get; set; } = new();
}

/// <summary>One row of the benchmark data, as W5 reads it.</summary>
public sealed class W5Transaction
{
    /// <summary>The user the transaction belongs to (joined to <see cref="W5User.Id"/> by convention).</summary>
    public long UserId { get; set; }

    /// <summary>When it happened: related rows after the evaluation's Now are invisible.</summary>
    [EventTime]
    public DateTime At { get; set; }

    /// <summary>The amount.</summary>
    public double Amount { get; set; }
}

/// <summary>
/// W5 as a user writes it: per user, the sum, count and mean of the amounts of the last 30 days, each a LINQ aggregation
/// over the user's transactions filtered on <c>F.Now</c>.
/// </summary>
public sealed class W5Features : FeatureSet<W5User>
{
    /// <inheritdoc />
    protected override void Define(FeatureSetBuilder<W5User> features) => features
        .HasMany(u => u.Transactions, (u, t) => t.UserId == u.Id)
        .Define(u => u.Spend30d, _ => _.Transactions.Where(t => t.At > F.Now - TimeSpan.FromDays(30)).Sum(t => t.Amount))
        .Define(u => u.Count30d, _ => _.Transactions.Count(t => t.At > F.Now - TimeSpan.FromDays(30)))
        .Define(u => u.Mean30d, _ => _.Transactions.Where(t => t.At > F.Now - TimeSpan.FromDays(30)).Average(t => t.Amount));
}

/// <summary>W5 as windowed definitions, all windows of each in one definition (<c>Spend[30d]</c>, <c>Count[30d]</c>, <c>Mean[30d]</c>, …).</summary>
public static class W5WindowedFeatures
{
    /// <summary>The sum, count and mean of the amounts per window of <paramref name="windows"/>.</summary>
    public static FeatureSet<W5WindowedUser> Over(IReadOnlyList<string> windows) => new(features => features
        .HasMany(u => u.Transactions, (u, t) => t.UserId == u.Id)
        .Windowed(u => u.Spend, windows, _ => _.Transactions.Sum(t => t.Amount))
        .Windowed(u => u.Count, windows, _ => _.Transactions.Count())
        .Windowed(u => u.Mean, windows, _ => _.Transactions.Average(t => t.Amount)), $"W5Windowed[{string.Join(",", windows)}]");
}

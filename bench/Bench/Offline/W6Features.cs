using Dsl;

namespace Dsl.Bench.Offline;

/// <summary>W6's entity: a shopper with purchases; <see cref="LastAmount"/> is read from the offline store, <see cref="Spend30d"/> recomputed.</summary>
public sealed class Shopper
{
    /// <summary>The shopper's id (0 .. shoppers − 1).</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The shopper's purchases (joined by <see cref="Purchase.ShopperId"/>), from the events Parquet file.</summary>
    public IReadOnlyList<Purchase> Purchases { get; set; } = [];

    /// <summary>The amount of the latest purchase: ingested into the offline store, one value per event, dated by it.</summary>
    public double? LastAmount { get; set; }

    /// <summary>The amount spent in the 30 days up to now (now included).</summary>
    public double Spend30d { get; set; }
}

/// <summary>One event of W6: a purchase.</summary>
public sealed class Purchase
{
    /// <summary>The event's number.</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The shopper.</summary>
    public long ShopperId { get; set; }

    /// <summary>When it happened; purchases after a row's time are invisible to it.</summary>
    [EventTime]
    public DateTime Ts { get; set; }

    /// <summary>The amount (a whole number, so every sum is exact in any order).</summary>
    public double Amount { get; set; }
}

/// <summary>W6's definitions.</summary>
public sealed class ShopperFeatures : FeatureSet<Shopper>
{
    /// <inheritdoc />
    protected override void Define(FeatureSetBuilder<Shopper> features) => features
        .Define(s => s.LastAmount, _ => _.Purchases.Any() ? _.Purchases.MaxBy(p => p.Ts)!.Amount : (double?)null)
        .Define(s => s.Spend30d, _ => _.Purchases.Where(p => p.Ts > F.Now - TimeSpan.FromDays(30)).Sum(p => p.Amount));
}

/// <summary>The purchases' own (no) features.</summary>
public sealed class PurchaseFeatures : FeatureSet<Purchase>
{
    /// <inheritdoc />
    protected override void Define(FeatureSetBuilder<Purchase> features)
    {
    }
}

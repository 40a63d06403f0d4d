namespace Dsl.Tests.Relations;

/// <summary>A buyer: the has-one side of a purchase. Its members have nullable and non-nullable types.</summary>
public sealed class Buyer
{
    [PrimaryKey]
    public long Id { get; set; }

    public string? Country { get; set; }

    public double Score { get; set; }

    public int? Age { get; set; }

    public IReadOnlyList<Purchase> Purchases { get; set; } = [];

    /// <summary>A virtual call the lowering cannot follow: features calling it run row by row over materialized buyers.</summary>
    public override string ToString() => $"{Country}/{Score}";
}

/// <summary>A purchase of a buyer (joined Purchase.BuyerId → Buyer.Id by convention), with computed features.</summary>
public sealed class Purchase
{
    [PrimaryKey]
    public long Id { get; set; }

    public long? BuyerId { get; set; }

    public double Amount { get; set; }

    public Buyer? Buyer { get; set; }

    public string? Country { get; set; }

    public string? CountryOrNull { get; set; }

    public double Score2 { get; set; }

    public double? ScoreOrNull { get; set; }

    public bool HasBuyer { get; set; }

    public bool Adult { get; set; }

    public double Total { get; set; }

    public int CountryLength { get; set; }

    public string? Described { get; set; }
}

/// <summary>A merchant, keyed by region and code together (no [PrimaryKey]: joined only by an explicit HasOne).</summary>
public sealed class Merchant
{
    public string Region { get; set; } = "";

    public string Code { get; set; } = "";

    public string? Category { get; set; }

    public double Risk { get; set; }
}

/// <summary>An order of a merchant, joined by two keys of other names (Order.Region, Order.MerchantCode).</summary>
public sealed class Order
{
    [PrimaryKey]
    public long Id { get; set; }

    public string? Region { get; set; }

    public string? MerchantCode { get; set; }

    public Merchant? Merchant { get; set; }

    public string? Category { get; set; }

    public double Risk { get; set; }
}

/// <summary>A purchase whose has-one relation has no key to join by (no SellerId, no BuyerId).</summary>
public sealed class Gift
{
    [PrimaryKey]
    public long Id { get; set; }

    public Buyer? Seller { get; set; }

    public string? Country { get; set; }
}

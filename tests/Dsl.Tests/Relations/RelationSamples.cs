namespace Dsl.Tests.Relations;

/// <summary>A user with transactions: the relations of the tests.</summary>
public sealed class User
{
    [PrimaryKey]
    public long Id { get; set; }

    public string Country { get; set; } = "";

    public IReadOnlyList<Transaction> Transactions { get; set; } = [];

    public double TotalSpend { get; set; }

    public int BigCount { get; set; }

    public double? RecentAmount { get; set; }

    public double Spend30d { get; set; }

    public Windowed<double> Spend { get; set; } = new();
}

/// <summary>A transaction of a user, with an event time.</summary>
public sealed class Transaction
{
    [PrimaryKey]
    public long Id { get; set; }

    public long UserId { get; set; }

    [EventTime]
    public DateTime At { get; set; }

    public double Amount { get; set; }

    public string Merchant { get; set; } = "";
}

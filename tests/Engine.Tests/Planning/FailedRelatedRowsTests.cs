using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Tests.Planning;

/// <summary>
/// Related rows that cannot be had — their resolver throws or times out, or one of them fails computing its own feature — never read
/// as no rows: every feature aggregating them is an error naming the reason; the features that do not read them are answered.
/// </summary>
public sealed class FailedRelatedRowsTests
{
    private static readonly string[] Outputs = ["account.name", "account.payment_count", "account.total_per_unit", "account.busy"];

    private static readonly Payment[] Payments =
    [
        new() { Id = 1, AccountId = 1, Amount = 90, Units = 3 },
        new() { Id = 2, AccountId = 1, Amount = 10, Units = 2 },
        new() { Id = 3, AccountId = 2, Amount = 40, Units = 0 },
        new() { Id = 4, AccountId = 2, Amount = 8, Units = 4 },
    ];

    private static FeatureEngine Engine(CSharpResolver payments) => new FeatureEngineBuilder()
        .AddFeatureSet(new AccountFeatures())
        .AddFeatureSet(new PaymentFeatures())
        .AddResolver(CSharpResolver.Create<long, Account>("account_by_id", "account.id", ["Id", "Name"],
            (id, _) => Task.FromResult<IEnumerable<Account>>([new Account { Id = id, Name = $"account {id}" }])))
        .AddResolver(payments)
        .Build();

    private static CSharpResolver PaymentsOf(Func<long, CancellationToken, Task<IEnumerable<Payment>>> fetch, TimeSpan? timeout = null) =>
        CSharpResolver.Create("payments_by_account", "account.id", ["Id", "AccountId", "Amount", "Units"], fetch,
            new CSharpResolverOptions { Timeout = timeout ?? TimeSpan.FromSeconds(5) });

    private static IReadOnlyDictionary<string, object?> Account(long id) => new Dictionary<string, object?> { ["account.id"] = id };

    [Test]
    public async Task RelatedRowFailsItsOwnFeature_AggregatesOverItsEntityAreErrors()
    {
        var engine = Engine(PaymentsOf((id, _) => Task.FromResult(Payments.Where(p => p.AccountId == id))));

        var results = await engine.QueryManyAsync([Account(1), Account(2)], Outputs);

        Assert.That(results[0].Errors, Is.Empty);
        Assert.That(results[0]["Account.TotalPerUnit"], Is.EqualTo(30L + 5L));
        Assert.That(results[0]["Account.PaymentCount"], Is.EqualTo(2));
        var failed = results[1];
        Assert.That(failed["Account.Name"], Is.EqualTo("account 2"));
        Assert.That(failed.Errors.Select(e => e.Feature), Is.EquivalentTo(new[] { "Account.PaymentCount", "Account.TotalPerUnit", "Account.Busy" }),
            "a count over the rows would be 2 with one of them broken: it is an error, not a number");
        Assert.That(failed.Errors, Has.All.Property("ExceptionType").EqualTo("System.DivideByZeroException"));
        Assert.That(failed.Errors[0].Message, Does.Contain("Payment.PerUnit failed on a fetched Payment row"));
        Assert.That(failed.Metadata.Features["Account.TotalPerUnit"].Source, Is.EqualTo(ValueSource.Failed));
        Assert.That((await engine.QueryAsync(Account(2), Outputs)).Errors, Is.EqualTo(failed.Errors), "alone, the same");
    }

    [Test]
    public async Task RelatedRowsResolverThrows_AggregatesAreErrorsNamingIt()
    {
        var engine = Engine(PaymentsOf((_, _) => throw new InvalidOperationException("the payments database is read-only for maintenance")));

        var result = await engine.QueryAsync(Account(1), Outputs);

        Assert.That(result["Account.Name"], Is.EqualTo("account 1"));
        Assert.That(result["Account.PaymentCount"], Is.Null, "not 0");
        Assert.That(result.Errors.Select(e => e.Feature), Is.EquivalentTo(new[] { "Account.PaymentCount", "Account.TotalPerUnit", "Account.Busy" }));
        Assert.That(result.Errors, Has.All.Property("ExceptionType").EqualTo("System.InvalidOperationException"));
        var busy = result.Errors.Single(e => e.Feature == "Account.Busy");
        Assert.That(busy.Message, Does.Contain("reads Account.Payments, which failed: the payments database is read-only for maintenance"),
            "a feature reading an aggregate fails with the relation's reason");
    }

    [Test]
    public async Task RelatedRowsResolverTimesOut_AggregatesAreTimeoutErrors()
    {
        var engine = Engine(PaymentsOf(async (id, token) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), token);
            return Payments.Where(p => p.AccountId == id);
        }, timeout: TimeSpan.FromMilliseconds(100)));

        var result = await engine.QueryAsync(Account(1), Outputs);

        Assert.That(result.Errors, Has.Count.EqualTo(3));
        Assert.That(result.Errors, Has.All.Property("ExceptionType").EqualTo("System.TimeoutException"));
        Assert.That(result.Errors[0].Message, Does.Contain("Resolver 'payments_by_account' took longer than its timeout of 100 ms"));
    }
}

public sealed class Account
{
    [PrimaryKey]
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public IReadOnlyList<Payment> Payments { get; set; } = [];

    public int PaymentCount { get; set; }

    public long TotalPerUnit { get; set; }

    public bool Busy { get; set; }
}

public sealed class Payment
{
    [PrimaryKey]
    public long Id { get; set; }

    public long AccountId { get; set; }

    public long Amount { get; set; }

    public long Units { get; set; }

    public long PerUnit { get; set; }
}

public sealed class AccountFeatures : FeatureSet<Account>
{
    protected override void Define(FeatureSetBuilder<Account> features) => features
        .Define(a => a.PaymentCount, _ => _.Payments.Count())
        .Define(a => a.TotalPerUnit, _ => _.Payments.Sum(p => p.PerUnit))
        .Define(a => a.Busy, _ => _.PaymentCount > 1);
}

public sealed class PaymentFeatures : FeatureSet<Payment>
{
    protected override void Define(FeatureSetBuilder<Payment> features) => features
        .Define(p => p.PerUnit, _ => _.Amount / _.Units);
}

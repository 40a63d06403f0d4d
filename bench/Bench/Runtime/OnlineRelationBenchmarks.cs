using BenchmarkDotNet.Attributes;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>
/// The online path over a relation: one user with 200 transactions in memory and 10 aggregate features (sums, counts,
/// a mean, extremes, filters on Now and a window), evaluated for one request time — the latency and allocation per call
/// (issue 12's goal: under 5 µs, no allocation: the typed evaluator's; <c>Evaluate(entity, now)</c> returns a boxed row). Next to it, the same 10 aggregates written by hand over the list.
/// </summary>
[MemoryDiagnoser]
[InProcess] // see OnlineLatencyBenchmarks
public class OnlineRelationBenchmarks
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private CompiledFeatureSet<OnlineUser> _features = null!;
    private EntityFeatureEvaluator<OnlineUser, OnlineUser> _evaluator = null!;
    private OnlineUser _user = null!;

    [GlobalSetup]
    public void Setup()
    {
        _features = new OnlineUserFeatures().Compile();
        if (_features.Verdicts.FirstOrDefault(v => v.Mode != ExecutionMode.Compiled) is { } verdict)
            throw new InvalidOperationException($"{verdict.Feature} did not compile: {verdict.Reason}");
        _evaluator = _features.CreateEvaluator<OnlineUser>();
        var random = new Random(42);
        _user = new OnlineUser
        {
            Id = 7,
            Transactions = Enumerable.Range(0, 200).Select(i => new OnlineTransaction
            {
                UserId = 7,
                At = Now.AddMinutes(-random.Next(0, 90 * 24 * 60)),
                Amount = Math.Round(random.NextDouble() * 500, 2),
                Merchant = "m" + random.Next(0, 20),
            }).ToList(),
        };
    }

    [Benchmark(Description = "10 aggregates, 200 rows: CompiledFeatureSet.Evaluate(entity, now)")]
    public FeatureRow Dsl() => _features.Evaluate(_user, Now);

    [Benchmark(Description = "10 aggregates, 200 rows: the typed evaluator (CreateEvaluator, features written into the user)")]
    public int DslTyped() => _evaluator.Evaluate(_user, Now, ref _user).Count;

    [Benchmark(Baseline = true, Description = "10 aggregates, 200 rows: hand-written LINQ")]
    public double Linq()
    {
        var rows = _user.Transactions.Where(t => t.At <= Now).ToList();
        var monthAgo = Now - TimeSpan.FromDays(30);
        return rows.Sum(t => t.Amount) + rows.Count + rows.Average(t => t.Amount) + rows.Min(t => t.Amount) + rows.Max(t => t.Amount)
            + rows.Count(t => t.Amount > 100) + rows.Where(t => t.At > monthAgo).Sum(t => t.Amount) + rows.Count(t => t.At > monthAgo)
            + (rows.Any(t => t.Merchant == "m3") ? 1 : 0) + rows.Where(t => t.At > Now.AddDays(-7)).Select(t => t.Amount).DefaultIfEmpty().Max();
    }
}

/// <summary>The online benchmark's user.</summary>
public sealed class OnlineUser
{
    [PrimaryKey]
    public long Id { get; set; }

    public IReadOnlyList<OnlineTransaction> Transactions { get; set; } = [];

    public double Total { get; set; }

    public int Count { get; set; }

    public double Mean { get; set; }

    public double Smallest { get; set; }

    public double Largest { get; set; }

    public int BigCount { get; set; }

    public double Spend30d { get; set; }

    public int Count30d { get; set; }

    public bool UsedM3 { get; set; }

    public double? LargestThisWeek { get; set; }
}

/// <summary>One transaction of <see cref="OnlineUser"/>.</summary>
public sealed class OnlineTransaction
{
    public long UserId { get; set; }

    [EventTime]
    public DateTime At { get; set; }

    public double Amount { get; set; }

    public string Merchant { get; set; } = "";
}

/// <summary>The 10 aggregate features.</summary>
public sealed class OnlineUserFeatures : FeatureSet<OnlineUser>
{
    protected override void Define(FeatureSetBuilder<OnlineUser> features) => features
        .HasMany(u => u.Transactions, (u, t) => t.UserId == u.Id)
        .Define(u => u.Total, _ => _.Transactions.Sum(t => t.Amount))
        .Define(u => u.Count, _ => _.Transactions.Count())
        .Define(u => u.Mean, _ => _.Transactions.Average(t => t.Amount))
        .Define(u => u.Smallest, _ => _.Transactions.Min(t => t.Amount))
        .Define(u => u.Largest, _ => _.Transactions.Max(t => t.Amount))
        .Define(u => u.BigCount, _ => _.Transactions.Count(t => t.Amount > 100))
        .Define(u => u.Spend30d, _ => _.Transactions.Where(t => t.At > F.Now - TimeSpan.FromDays(30)).Sum(t => t.Amount))
        .Define(u => u.Count30d, _ => _.Transactions.Count(t => t.At > F.Now - TimeSpan.FromDays(30)))
        .Define(u => u.UsedM3, _ => _.Transactions.Any(t => t.Merchant == "m3"))
        .Define(u => u.LargestThisWeek, _ => _.Transactions.Where(t => t.At > F.Now.AddDays(-7)).Max(t => (double?)t.Amount));
}

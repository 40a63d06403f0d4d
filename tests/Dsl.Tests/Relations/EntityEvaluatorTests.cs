using Dsl.Runtime;

namespace Dsl.Tests.Relations;

/// <summary>
/// The typed online path over an entity with relations (<see cref="CompiledFeatureSet{TEntity}.CreateEvaluator{TOutput}"/>):
/// it agrees with <see cref="CompiledFeatureSet{TEntity}.Evaluate(TEntity, DateTime?)"/> on every feature, windows
/// included, and a call allocates nothing once warm (10 aggregate features over 200 related rows, the online case).
/// </summary>
public sealed class EntityEvaluatorTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public sealed class Shopper
    {
        [PrimaryKey]
        public long Id { get; set; }

        public IReadOnlyList<Purchase> Purchases { get; set; } = [];

        public double Spent { get; set; }

        public int Purchased { get; set; }

        public double MeanPrice { get; set; }

        public double Cheapest { get; set; }

        public double? Dearest { get; set; }

        public long Expensive { get; set; }

        public bool EverInStore7 { get; set; }

        public bool AllPositive { get; set; }

        public double? LatePrice { get; set; }

        public Windowed<double> Spend { get; set; } = new();
    }

    public sealed class Purchase
    {
        public long ShopperId { get; set; }

        [EventTime]
        public DateTime At { get; set; }

        public double Price { get; set; }

        public int Store { get; set; }
    }

    private sealed class ShopperFeatures : FeatureSet<Shopper>
    {
        protected override void Define(FeatureSetBuilder<Shopper> features) => features
            .Define(s => s.Spent, _ => _.Purchases.Sum(p => p.Price))
            .Define(s => s.Purchased, _ => _.Purchases.Count())
            .Define(s => s.MeanPrice, _ => _.Purchases.Average(p => p.Price))
            .Define(s => s.Cheapest, _ => _.Purchases.Min(p => p.Price))
            .Define(s => s.Dearest, _ => _.Purchases.Where(p => p.At > F.Now.AddDays(-7)).Max(p => (double?)p.Price))
            .Define(s => s.Expensive, _ => _.Purchases.LongCount(p => p.Price > 100))
            .Define(s => s.EverInStore7, _ => _.Purchases.Any(p => p.Store == 7))
            .Define(s => s.AllPositive, _ => _.Purchases.All(p => p.Price > 0))
            .Define(s => s.LatePrice, _ => _.Purchases.Where(p => p.At > F.Now - TimeSpan.FromDays(30)).Select(p => (double?)p.Price).LastOrDefault())
            .Windowed(s => s.Spend, ["1d", "30d"], _ => _.Purchases.Sum(p => p.Price));
    }

    private static readonly CompiledFeatureSet<Shopper> Features = new ShopperFeatures().Compile();

    private static readonly string[] Names =
        ["Spent", "Purchased", "MeanPrice", "Cheapest", "Dearest", "Expensive", "EverInStore7", "AllPositive", "LatePrice", "Spend[1d]", "Spend[30d]"];

    private static Shopper NewShopper(int seed, int purchases)
    {
        var random = new Random(seed);
        return new Shopper
        {
            Id = seed,
            Purchases = Enumerable.Range(0, purchases).Select(_ => new Purchase
            {
                ShopperId = seed, At = Now.AddMinutes(-random.Next(-3 * 24 * 60, 90 * 24 * 60)),
                Price = Math.Round(random.NextDouble() * 500 - 5, 2), Store = random.Next(0, 20),
            }).ToList(),
        };
    }

    [Test]
    public void Features_AreCompiled() =>
        Assert.That(Features.Verdicts.Where(v => v.Mode != ExecutionMode.Compiled).Select(v => $"{v.Feature}: {v.Reason}"), Is.Empty);

    [Test]
    public void Evaluate_AgreesWithTheUntypedOnlinePath([Values(0, 1, 3, 200)] int purchases)
    {
        var evaluator = Features.CreateEvaluator<Shopper>();
        for (var seed = 1; seed <= 20; seed++)
        {
            var shopper = NewShopper(seed, purchases);
            var expected = Features.Evaluate(shopper, Now);
            var errors = evaluator.Evaluate(shopper, Now, ref shopper);
            Assert.That(errors.Select(e => (e.Feature, e.ExceptionType)), Is.EqualTo(expected.Errors.Select(e => (e.Feature, e.ExceptionType))), $"seed {seed}");
            object?[] actual =
            [
                shopper.Spent, shopper.Purchased, shopper.MeanPrice, shopper.Cheapest, shopper.Dearest, shopper.Expensive, shopper.EverInStore7,
                shopper.AllPositive, shopper.LatePrice, shopper.Spend["1d"], shopper.Spend["30d"],
            ];
            for (var f = 0; f < Names.Length; f++)
            {
                // A feature that threw is null online and its type's default in a non-nullable member.
                var value = expected[Names[f]] ?? (actual[f] is { } written && written.GetType().IsValueType ? Activator.CreateInstance(written.GetType()) : null);
                Assert.That(actual[f], Is.EqualTo(value), $"{Names[f]}, seed {seed}");
            }
        }
    }

    [Test]
    public void Evaluate_WithoutNow_IsAnArgumentException()
    {
        var evaluator = Features.CreateEvaluator<Shopper>();
        var shopper = NewShopper(1, 3);
        Assert.That(() => evaluator.Evaluate(shopper, null, ref shopper), Throws.ArgumentException.With.Message.Contains("now"));
    }

    [Test]
    public void Evaluate_TenAggregatesOver200Rows_AllocatesNothingPerCall()
    {
        var evaluator = Features.CreateEvaluator<Shopper>();
        var shopper = NewShopper(42, 200);
        for (var i = 0; i < 10; i++) evaluator.Evaluate(shopper, Now, ref shopper);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) evaluator.Evaluate(shopper, Now.AddMinutes(i), ref shopper);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "bytes allocated by 100 calls");
    }
}

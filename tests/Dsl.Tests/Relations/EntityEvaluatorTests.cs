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
            .HasMany(s => s.Purchases, (s, p) => p.ShopperId == s.Id)
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
    public void Evaluate_EveryRowVisible_EqualsLinqOverTheEntitysOwnList()
    {
        // Every row in the past: the evaluator reads the entity's own list without copying it.
        var evaluator = Features.CreateEvaluator<Shopper>();
        var shopper = NewShopper(7, 50);
        foreach (var purchase in shopper.Purchases) purchase.At = purchase.At > Now ? Now : purchase.At;
        var rows = shopper.Purchases;

        var errors = evaluator.Evaluate(shopper, Now, ref shopper);

        Assert.That(errors, Is.Empty);
        Assert.That(shopper.Spent, Is.EqualTo(rows.Sum(p => p.Price)));
        Assert.That(shopper.Purchased, Is.EqualTo(rows.Count));
        Assert.That(shopper.MeanPrice, Is.EqualTo(rows.Average(p => p.Price)));
        Assert.That(shopper.Dearest, Is.EqualTo(rows.Where(p => p.At > Now.AddDays(-7)).Max(p => (double?)p.Price)));
        Assert.That(shopper.LatePrice, Is.EqualTo(rows.Where(p => p.At > Now - TimeSpan.FromDays(30)).Select(p => (double?)p.Price).LastOrDefault()));
        Assert.That(shopper.Spend["1d"], Is.EqualTo(rows.Where(p => p.At > Now.AddDays(-1)).Sum(p => p.Price)));
    }

    [TestCase(0, false)]
    [TestCase(2, false)]
    [TestCase(2, true)]
    public void Evaluate_NullRow_IsAnArgumentException_BeforeOrAfterARowNotYetVisible(int position, bool futureRowFirst)
    {
        var evaluator = Features.CreateEvaluator<Shopper>();
        var rows = NewShopper(3, 4).Purchases.ToList();
        foreach (var purchase in rows) purchase.At = Now.AddDays(-1);
        if (futureRowFirst) rows[1].At = Now.AddDays(1);
        rows[position] = null!;
        var shopper = new Shopper { Id = 3, Purchases = rows };

        Assert.That(() => evaluator.Evaluate(shopper, Now, ref shopper), Throws.ArgumentException.With.Message.Contains("null row"));
        Assert.That(() => Features.Evaluate(shopper, Now), Throws.ArgumentException.With.Message.Contains("null row"));
    }

    [Test]
    public void Compile_WindowOverAListThatIsNoRelation_IsRefused()
    {
        // Purchase has no [PrimaryKey], so without HasMany the list is a plain member: a window would select nothing.
        var plain = new FeatureSet<Shopper>(f => f.Windowed(s => s.Spend, ["1d"], _ => _.Purchases.Sum(p => p.Price)));

        Assert.That(() => plain.Compile(), Throws.InstanceOf<Exception>().With.Message.Contains("Spend[1d]").And.Message.Contains("reads no has-many relation with an event time"));
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

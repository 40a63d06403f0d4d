using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime;
using Dsl.TestSupport;
using Dsl.TestSupport.Columns;
using FsCheck;
using FsCheck.Fluent;
using Outcome = Dsl.TestSupport.Outcome;

namespace Dsl.Tests.Relations;

/// <summary>
/// Features of a purchase that read its has-one buyer (<c>_.Buyer.Country</c>, joined Purchase.BuyerId → Buyer.Id by
/// convention), four ways on generated data: the batch path (member reads gathered from the buyer batch by joined row
/// where they can be, else materialized buyers), the batch fallback (each feature's delegate over materialized buyers),
/// the online path (the purchase object with its Buyer set) and plain C# over the objects. Purchases have null buyer
/// keys and orphan keys (a purchase then sees a null Buyer, and reading its member throws NullReferenceException as C#
/// does); buyers have nulls, NaN, ±0, ±Infinity and extremes in their columns. Values (bit for bit), nulls and exception
/// types must agree.
/// </summary>
public sealed class HasOneDifferentialTests
{
    private static readonly Expression<Func<Purchase, string?>> CountryOf = _ => _.Buyer!.Country;
    private static readonly Expression<Func<Purchase, double>> Score2Of = _ => _.Buyer!.Score * 2;
    private static readonly Expression<Func<Purchase, double?>> ScoreOrNullOf = _ => _.Buyer == null ? null : _.Buyer.Score;
    private static readonly Expression<Func<Purchase, bool>> AdultOf = _ => _.Buyer != null && _.Buyer.Age >= 18;
    private static readonly Expression<Func<Purchase, double>> TotalOf = _ => _.Amount + (_.Buyer!.Age ?? 0);
    private static readonly Expression<Func<Purchase, int>> CountryLengthOf = _ => _.Buyer!.Country!.Length;
    private static readonly Func<Buyer?, string?> CountryOrNullOf = buyer => buyer?.Country;
    private static readonly Func<Buyer?, bool> HasBuyerOf = buyer => buyer != null;
    private static readonly Func<Buyer?, string?> DescribedOf = buyer => buyer?.ToString();

    private sealed class PurchaseFeatures : FeatureSet<Purchase>
    {
        protected override void Define(FeatureSetBuilder<Purchase> features) => features
            .Define(p => p.Country, CountryOf)
            .Define(p => p.Score2, Score2Of)
            .Define(p => p.ScoreOrNull, ScoreOrNullOf)
            .Define(p => p.Adult, AdultOf)
            .Define(p => p.Total, TotalOf)
            .Define(p => p.CountryLength, CountryLengthOf)
            .Resolve(p => p.CountryOrNull, CountryOrNullOf)
            .Resolve(p => p.HasBuyer, HasBuyerOf)
            .Resolve(p => p.Described, DescribedOf);
    }

    /// <summary>Each feature and what C# gives for a purchase whose Buyer is set.</summary>
    private static readonly (string Name, Func<Purchase, object?> Reference)[] References =
    [
        ("Country", p => CountryOf.Compile()(p)),
        ("Score2", p => Score2Of.Compile()(p)),
        ("ScoreOrNull", p => ScoreOrNullOf.Compile()(p)),
        ("Adult", p => AdultOf.Compile()(p)),
        ("Total", p => TotalOf.Compile()(p)),
        ("CountryLength", p => CountryLengthOf.Compile()(p)),
        ("CountryOrNull", p => CountryOrNullOf(p.Buyer)),
        ("HasBuyer", p => HasBuyerOf(p.Buyer)),
        ("Described", p => DescribedOf(p.Buyer)),
    ];

    private static readonly CompiledFeatureSet<Purchase> Compiled = new PurchaseFeatures().Compile();

    [Test]
    public void Verdicts_MemberReadsCompile_AVirtualCallFallsBack()
    {
        var verdicts = Compiled.Verdicts.ToDictionary(v => v.Feature, v => v.Mode);
        Assert.That(verdicts.Where(v => v.Key != "Described").Select(v => v.Value), Is.All.EqualTo(ExecutionMode.Compiled));
        Assert.That(verdicts["Described"], Is.EqualTo(ExecutionMode.Fallback));
    }

    [Test]
    public void Plan_ReadsGatheredColumns_NotBuyerObjects_ForEveryCompiledFeature()
    {
        // Every compiled feature reads the buyer's columns (and whether it has one); only the fallback reads buyer objects.
        var scenario = new Scenario([new Buyer { Id = 1, Country = "FR", Score = 1, Age = 30 }], [new Purchase { Id = 1, BuyerId = 1, Amount = 2 }], 0);
        var (purchases, buyers) = scenario.Batches();
        using var result = Compiled.Evaluate(purchases, new EvaluateOptions { Related = new Dictionary<string, RecordBatch> { ["Buyer"] = buyers } });
        Assert.That(result.Modes.Where(m => m.Key != "Described").Select(m => m.Value), Is.All.EqualTo(ExecutionMode.Compiled));
        Assert.That(Compiled.Plan.Inputs.Select(i => i.Name), Does.Contain("$one:Buyer"), "online, the buyer object is the input");
        foreach (var feature in References.Select(r => r.Name).Where(name => name != "Described"))
        {
            var inputs = Compiled.Plan.BatchInputsOf(feature);
            Assert.That(inputs, Does.Not.Contain("$one:Buyer").And.Some.StartsWith("$one:Buyer"), feature);
        }

        Assert.That(Compiled.Plan.BatchInputsOf("Described"), Does.Contain("$one:Buyer"));
        Assert.That(Compiled.Plan.BatchInputsOf("Total"), Is.EquivalentTo(new[] { "Amount", "$one:Buyer?", "$one:Buyer.Age" }));
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property FourPaths_AgreeOnEveryPurchase() => Prop.ForAll(Scenarios().ToArbitrary(), scenario =>
    {
        var (purchases, buyers) = scenario.Batches();
        var related = new Dictionary<string, RecordBatch> { ["Buyer"] = buyers };
        using var auto = Compiled.Evaluate(purchases, new EvaluateOptions { Related = related, Threads = 2, MorselSize = 64 });
        using var fallback = Compiled.Evaluate(purchases, new EvaluateOptions { Related = related, Mode = EvaluationMode.Fallback, Threads = 1 });
        for (var row = 0; row < scenario.Purchases.Length; row++)
        {
            var purchase = scenario.WithBuyer(row);
            var online = Compiled.Evaluate(purchase);
            foreach (var (name, reference) in References)
            {
                var expected = Outcome.Capture(() => reference(purchase));
                var where = $"{name}, purchase {row} (buyer key {purchase.BuyerId?.ToString() ?? "null"}, buyer {(purchase.Buyer is { } b ? $"{b.Id}: {b.Country ?? "null"}, {b.Score:R}, {b.Age?.ToString() ?? "null"}" : "none")})";
                AssertSame(expected, Read(auto, name, row), "batch " + where);
                AssertSame(expected, Read(fallback, name, row), "fallback " + where);
                var error = online.Errors.FirstOrDefault(e => e.Feature == name);
                AssertSame(expected, error is null ? new Outcome(online[name], null) : new Outcome(null, error.ExceptionType), "online " + where);
            }
        }
    });

    [Test]
    public void ManyRowsOverSeveralMorselsAndThreads_EqualCSharp()
    {
        // 5,000 purchases over 300 buyers (every tenth key null, every seventh an orphan), in 64-row morsels on 2 threads:
        // vector blocks mixing rows with and without a buyer, and gathered columns read across morsel boundaries.
        var random = new Random(12);
        var buyers = Enumerable.Range(0, 300).Select(i => new Buyer
        {
            Id = 1000 - i * 3, Country = i % 5 == 0 ? null : ((char)('a' + i % 26)).ToString(), Score = i % 11 == 0 ? double.NaN : random.NextDouble() * 100 - 50,
            Age = i % 4 == 0 ? null : random.Next(0, 90),
        }).ToArray();
        var purchases = Enumerable.Range(0, 5000).Select(i => new Purchase
        {
            Id = i, Amount = random.Next(-100, 100) / 4.0,
            BuyerId = i % 10 == 0 ? null : i % 7 == 0 ? 5000 + i : buyers[random.Next(buyers.Length)].Id,
        }).ToArray();
        var scenario = new Scenario(buyers, purchases, 0);
        var (purchaseBatch, buyerBatch) = scenario.Batches();
        using var result = Compiled.Evaluate(purchaseBatch, new EvaluateOptions
        {
            Related = new Dictionary<string, RecordBatch> { ["Buyer"] = buyerBatch }, Threads = 2, MorselSize = 64,
        });
        for (var row = 0; row < purchases.Length; row++)
        {
            var purchase = scenario.WithBuyer(row);
            foreach (var (name, reference) in References)
                AssertSame(Outcome.Capture(() => reference(purchase)), Read(result, name, row), $"{name}, purchase {row}");
        }
    }

    private static void AssertSame(Outcome expected, Outcome actual, string where) =>
        Assert.That(actual.Matches(expected), $"{where}: expected {expected}, got {actual}");

    private static Outcome Read(FeatureSetResult result, string feature, int row)
    {
        var error = result.Errors[feature].FirstOrDefault(e => e.Row == row);
        if (error is not null) return new Outcome(null, error.ExceptionType);
        var column = result.Output.Column(feature);
        return new Outcome(column.IsNull(row) ? null : column switch
        {
            DoubleArray d => d.GetValue(row),
            StringArray s => s.GetString(row),
            BooleanArray b => b.GetValue(row),
            Int32Array i => i.GetValue(row),
            _ => throw new NotSupportedException(column.Data.DataType.Name),
        }, null);
    }

    private static Gen<Scenario> Scenarios() =>
        from buyerCount in Gen.Choose(0, 6)
        from countries in Gen.Elements<string?>(null, "", "FR", "é", "Ωmega", "a").ArrayOf(buyerCount)
        from scores in Gen.Frequency((2, Gen.Elements(EdgeValues.Doubles)), (3, Gen.Choose(-5, 5).Select(i => i / 4.0))).ArrayOf(buyerCount)
        from ages in Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, 40).Select(i => (int?)i)), (1, Gen.Elements(EdgeValues.Ints).Select(i => (int?)i))).ArrayOf(buyerCount)
        from purchaseCount in Gen.Choose(0, 12)
        from owners in Gen.Choose(-1, buyerCount + 1).ArrayOf(purchaseCount) // -1: no key; buyerCount and past: an orphan key
        from amounts in Gen.Frequency((1, Gen.Elements(EdgeValues.Doubles)), (3, Gen.Choose(-9, 9).Select(i => (double)i))).ArrayOf(purchaseCount)
        from offset in Gen.Elements(0, 3)
        select new Scenario(
            Enumerable.Range(0, buyerCount).Select(i => new Buyer { Id = i * 7 + 3, Country = countries[i], Score = scores[i], Age = ages[i] }).ToArray(),
            Enumerable.Range(0, purchaseCount).Select(i => new Purchase
            {
                Id = i, Amount = amounts[i],
                BuyerId = owners[i] < 0 ? null : owners[i] < buyerCount ? owners[i] * 7 + 3 : 1000 + owners[i],
            }).ToArray(),
            offset);

    /// <summary>Buyers and purchases; the buyer batch's columns start <paramref name="Offset"/> rows into their buffers.</summary>
    private sealed record Scenario(Buyer[] Buyers, Purchase[] Purchases, int Offset)
    {
        /// <summary>Purchase <paramref name="row"/> with its Buyer set as C# code would set it: the buyer whose Id is its BuyerId, or null.</summary>
        public Purchase WithBuyer(int row)
        {
            var purchase = Purchases[row];
            purchase.Buyer = Buyers.SingleOrDefault(b => b.Id == purchase.BuyerId);
            return purchase;
        }

        public (RecordBatch Purchases, RecordBatch Buyers) Batches()
        {
            var purchases = new RecordBatch(new Schema([
                    new Field("Id", Int64Type.Default, false), new Field("BuyerId", Int64Type.Default, true), new Field("Amount", DoubleType.Default, false)], null),
                [
                    TestArrays.Array(Int64Type.Default, Purchases.Select(p => (object?)p.Id).ToArray()),
                    TestArrays.Array(Int64Type.Default, Purchases.Select(p => (object?)p.BuyerId).ToArray()),
                    TestArrays.Array(DoubleType.Default, Purchases.Select(p => (object?)p.Amount).ToArray()),
                ], Purchases.Length);
            var buyers = new RecordBatch(new Schema([
                    new Field("Id", Int64Type.Default, false), new Field("Country", StringType.Default, true),
                    new Field("Score", DoubleType.Default, false), new Field("Age", Int32Type.Default, true)], null),
                [
                    TestArrays.Array(Int64Type.Default, Buyers.Select(b => (object?)b.Id).ToArray(), Offset),
                    TestArrays.Array(StringType.Default, Buyers.Select(b => (object?)b.Country).ToArray(), Offset),
                    TestArrays.Array(DoubleType.Default, Buyers.Select(b => (object?)b.Score).ToArray(), Offset),
                    TestArrays.Array(Int32Type.Default, Buyers.Select(b => (object?)b.Age).ToArray(), Offset),
                ], Buyers.Length);
            return (purchases, buyers);
        }

        public override string ToString() =>
            $"buyers [{string.Join(", ", Buyers.Select(b => $"{b.Id}: {b.Country ?? "null"}, {b.Score:R}, {b.Age?.ToString() ?? "null"}"))}], "
            + $"purchases [{string.Join(", ", Purchases.Select(p => $"{p.BuyerId?.ToString() ?? "null"}: {p.Amount:R}"))}], offset {Offset}";
    }
}

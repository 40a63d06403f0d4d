using System.Linq.Expressions;
using Dsl.TestSupport;
using Dsl.TestSupport.Relations;
using FsCheck;
using FsCheck.Fluent;
using static Dsl.Runtime.Tests.Relations.ScenarioResults;

namespace Dsl.Runtime.Tests.Relations;

/// <summary>
/// The <c>Sum</c>, <c>Average</c> and <c>Count</c> of the same rows (one window, or one filter) share one per-parent sum and
/// count in the segmented kernel (<c>SharedMoments</c>): the shared sum starts from the first value as <c>Average</c>'s does,
/// and <c>Sum</c> finishes as it + 0.0. Batch (several threads), fallback and LINQ-to-objects must agree by bits on every
/// parent — groups of only −0.0 and +0.0 (where the two sums differ in a zero's sign), NaN, ±∞ — and aggregates whose
/// selector, window or filter differ must not be mixed up with the group.
/// </summary>
public sealed class SharedMomentsTests
{
    private static readonly DateTime Base = new(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc);

    private static readonly (string Name, LambdaExpression Function, TimeSpan? Window)[] Definitions =
    [
        // A windowed definition's spend, count and mean, in three windows (W5-3w's shape).
        F("sum1d", (rows, now) => rows.Sum(t => t.Amount), TimeSpan.FromDays(1)),
        F("count1d", (rows, now) => rows.Count(), TimeSpan.FromDays(1)),
        F("mean1d", (rows, now) => rows.Average(t => t.Amount), TimeSpan.FromDays(1)),
        F("sum7d", (rows, now) => rows.Sum(t => t.Amount), TimeSpan.FromDays(7)),
        F("count7d", (rows, now) => rows.Count(), TimeSpan.FromDays(7)),
        F("mean7d", (rows, now) => rows.Average(t => t.Amount), TimeSpan.FromDays(7)),
        F("longCount7d", (rows, now) => rows.LongCount(), TimeSpan.FromDays(7)),
        F("sum30d", (rows, now) => rows.Sum(t => t.Amount), TimeSpan.FromDays(30)),
        F("mean30d", (rows, now) => rows.Average(t => t.Amount), TimeSpan.FromDays(30)),
        // Another selector over the 30-day window: a group of its own (and the count joins one of them).
        F("sumDiscount30d", (rows, now) => rows.Sum(t => t.Amount * 2), TimeSpan.FromDays(30)),
        F("meanDiscount30d", (rows, now) => rows.Average(t => t.Amount * 2), TimeSpan.FromDays(30)),
        F("count30d", (rows, now) => rows.Count(), TimeSpan.FromDays(30)),
        // The same rows through a filter that reads no parent column, and through one that differs only in its constant.
        F("sumPositive", (rows, now) => rows.Where(t => t.Quantity > 0).Sum(t => t.Amount)),
        F("countPositive", (rows, now) => rows.Count(t => t.Quantity > 0)),
        F("meanPositive", (rows, now) => rows.Where(t => t.Quantity > 0).Average(t => t.Amount)),
        F("sumAboveOne", (rows, now) => rows.Where(t => t.Quantity > 1).Sum(t => t.Amount)),
        F("meanAboveOne", (rows, now) => rows.Where(t => t.Quantity > 1).Average(t => t.Amount)),
        // A sum alone (no group: its own state) next to a nullable average (never shared: it skips nulls).
        F("sumAll", (rows, now) => rows.Sum(t => t.Amount)),
        F("meanDiscount", (rows, now) => rows.Average(t => t.Discount)),
    ];

    private static readonly FeaturePlan Plan = ScenarioResults.PlanOf(Definitions);

    private static readonly Delegate[] References = Definitions.Select(d => d.Function.Compile()).ToArray();

    [Test]
    public void Plan_SegmentsEveryDefinition() => Assert.That(Plan.SegmentedAggregates, Is.EqualTo(Definitions.Length));

    [FsCheck.NUnit.Property(MaxTest = 80)]
    public Property BatchFallbackAndLinq_Agree_OnSignedZerosNaNAndInfinities() => Prop.ForAll(Scenarios().ToArbitrary(), scenario => Agree(scenario, threads: 2));

    [Test]
    public void OnlyNegativeZeros_SumIsPositiveZero_MeanIsNegativeZero()
    {
        var rows = Enumerable.Range(0, 3).Select(i => new Transaction { Id = i, Amount = -0.0, Quantity = 1, At = Base.AddHours(-1 - i) }).ToArray();
        Agree(new Scenario([new Parent(1, Base)], rows, [0, 0, 0]), threads: 1);
    }

    private static bool Agree(Scenario scenario, int threads) => ScenarioResults.AgreeWithLinq(Plan, Definitions, References, scenario, threads);

    /// <summary>Few rows per parent, amounts mostly signed zeros (so that whole groups are zeros), some NaN, ±∞ and plain values.</summary>
    private static Gen<Scenario> Scenarios() =>
        from parents in Gen.Choose(1, 5)
        from rows in RelationGenerators.Transactions.ArrayOf()
        from amounts in Gen.Frequency((4, Gen.Constant(-0.0)), (2, Gen.Constant(0.0)), (1, Gen.Constant(double.NaN)),
            (1, Gen.Elements(double.PositiveInfinity, double.NegativeInfinity)), (2, Gen.Choose(-8, 8).Select(i => i / 4.0))).ArrayOf(rows.Length)
        from days in Gen.Elements(0, 1, 2, 7, 8, 30, 31).ArrayOf(rows.Length)
        from owners in Gen.Choose(-1, parents).ArrayOf(rows.Length)
        select new Scenario(Enumerable.Range(0, parents).Select(i => new Parent(i * 10 + 1, Base)).ToArray(),
            rows.Select((row, i) => With(row, amounts[i], Base.AddDays(-days[i]).AddHours(days[i] == 0 ? 0 : 1))).ToArray(), owners);

    private static Transaction With(Transaction row, double amount, DateTime at)
    {
        row.Amount = amount;
        row.At = at;
        row.Price = null; // a decimal128(38, 10) column would not hold every generated price; these definitions do not read it
        return row;
    }
}

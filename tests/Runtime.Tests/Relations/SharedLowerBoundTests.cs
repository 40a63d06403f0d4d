using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport;
using Dsl.TestSupport.Relations;
using FsCheck;
using FsCheck.Fluent;
using Outcome = Dsl.TestSupport.Outcome;
using static Dsl.Runtime.Tests.Relations.ScenarioResults;

namespace Dsl.Runtime.Tests.Relations;

/// <summary>
/// The segmented kernel's narrowed scan: when every aggregate of a relation first tests the event time against a lower
/// bound (a window, or a filter whose first condition is <c>t.At &gt; Now − w</c>) and the parents share one Now, each
/// block of rows is first narrowed to those above the lowest bound and visited after. Batch (on several threads, over
/// many blocks and parent ranges), fallback and LINQ-to-objects must agree on every parent — rows exactly on and one
/// microsecond either side of each bound, a later condition that throws, a bound that throws (Now in 1678) — and a row
/// whose event time no DateTime holds still fails the evaluation although it lies below every bound.
/// </summary>
public sealed class SharedLowerBoundTests
{
    private static readonly DateTime Base = new(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Every one tests the event time first: the kernel may skip a row below all of them.</summary>
    private static readonly (string Name, LambdaExpression Function, TimeSpan? Window)[] Definitions =
    [
        F("windowSum", (rows, now) => rows.Sum(t => t.Amount), TimeSpan.FromDays(1)),
        F("windowCount", (rows, now) => rows.Count(), TimeSpan.FromDays(31)),
        F("windowAverage", (rows, now) => rows.Average(t => t.Amount), TimeSpan.FromDays(7)),
        F("windowMaxBy", (rows, now) => rows.MaxBy(t => t.Cents)!.Quantity, TimeSpan.FromDays(1)),
        F("recent", (rows, now) => rows.Where(t => t.At > now.AddDays(-30)).Sum(t => t.Amount)),
        F("recentCount", (rows, now) => rows.Count(t => t.At > now - TimeSpan.FromDays(30))),
        F("recentMean", (rows, now) => rows.Where(t => t.At >= now.AddDays(-7)).Average(t => t.Amount)),
        // W5's filter form: the same filter as recentCount's in two more aggregates, which share its per-parent bound.
        F("recentSumShared", (rows, now) => rows.Where(t => t.At > now - TimeSpan.FromDays(30)).Sum(t => t.Amount)),
        F("recentMeanShared", (rows, now) => rows.Where(t => t.At > now - TimeSpan.FromDays(30)).Average(t => t.Amount)),
        // The same shape with another constant: a bound of its own.
        F("recent31", (rows, now) => rows.Count(t => t.At > now - TimeSpan.FromDays(31))),
        // The first condition bounds the row; the second may throw, and must for exactly the rows above the bound.
        F("boundedThenThrowing", (rows, now) => rows.Count(t => t.At > now.AddDays(-1) && 10 / t.Quantity > 1)),
        // With Now in 1678 the bound itself throws: the kernel then takes its catching scan.
        F("farBack", (rows, now) => rows.Where(t => t.At > now.AddDays(-700_000)).Sum(t => t.Amount)),
        // The same throwing bound, shared: each aggregate fails for the same parents, with the same error.
        F("farBackCount", (rows, now) => rows.Count(t => t.At > now.AddDays(-700_000))),
    ];

    private static readonly FeaturePlan Plan = ScenarioResults.PlanOf(Definitions);

    private static readonly Delegate[] References = Definitions.Select(d => d.Function.Compile()).ToArray();

    private static readonly DateTime[] Nows = [Base, Base.AddDays(30), new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc), new DateTime(1678, 1, 1, 0, 0, 0, DateTimeKind.Utc)];

    [Test]
    public void Plan_SegmentsEveryDefinition() => Assert.That(Plan.SegmentedAggregates, Is.EqualTo(Definitions.Length));

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property BatchFallbackAndLinq_Agree_WithOneNow() => Prop.ForAll(Scenarios().ToArbitrary(), scenario => Agree(scenario, threads: 2));

    [Test]
    public void BatchFallbackAndLinq_Agree_OverManyBlocksAndParentRanges([Values(1, 3)] int threads, [Values(0, 3)] int nowIndex)
    {
        var random = new Random(threads * 7 + nowIndex);
        var now = Nows[nowIndex];
        var parents = Enumerable.Range(0, 200).Select(i => new Parent(i * 10 + 1, now)).ToArray();
        var rows = Enumerable.Range(0, 9_000).Select(i => new Transaction
        {
            Id = i, Amount = random.Next(-1000, 1000) / 8.0, Quantity = random.Next(0, 4), Cents = random.Next(), Merchant = "m",
            At = now.AddDays(-random.Next(0, 40)) + TimeSpan.FromTicks(10 * random.Next(-1, 2)),
        }).ToArray();
        var owners = rows.Select(_ => random.Next(-1, parents.Length + 2)).ToArray();
        Agree(new Scenario(parents, rows, owners), threads);
    }

    [Test]
    public void EventTimeNoDateTimeHolds_BelowEveryBound_StillFailsTheEvaluation()
    {
        var parents = new[] { new Parent(1, Base) };
        var rows = Enumerable.Range(0, 3000).Select(i => new Transaction { Id = i, Amount = i, Quantity = 1, At = Base.AddDays(-1 - i % 60) }).ToArray();
        var (parentBatch, relatedBatch) = new Scenario(parents, rows, rows.Select(_ => 0).ToArray()).Batches();
        // Row 2500: a raw timestamp before year 1 (far below every bound).
        var at = relatedBatch.Schema.GetFieldIndex("At");
        var raw = ((TimestampArray)relatedBatch.Column(at)).Values.ToArray();
        raw[2500] = long.MinValue / 2;
        var type = (TimestampType)relatedBatch.Column(at).Data.DataType;
        var column = new TimestampArray(type, new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(raw.AsSpan()).ToArray()), ArrowBuffer.Empty, raw.Length, 0, 0);
        var columns = Enumerable.Range(0, relatedBatch.ColumnCount).Select(k => k == at ? column : relatedBatch.Column(k)).ToArray();
        var related = new Dictionary<string, RecordBatch> { ["Transactions"] = new RecordBatch(relatedBatch.Schema, columns, raw.Length) };
        Exception? Failure(EvaluationMode mode)
        {
            try
            {
                Plan.Evaluate(parentBatch, new EvaluateOptions { Now = Base, Related = related, Mode = mode }).Dispose();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }

        var compiled = Failure(EvaluationMode.Compiled);
        var fallback = Failure(EvaluationMode.Fallback);
        Assert.That(compiled, Is.Not.Null, "the compiled path reads every row a parent sees, an unconvertible one included");
        if (fallback is not null) Assert.That(compiled!.GetType(), Is.EqualTo(fallback.GetType()));
    }

    private static bool Agree(Scenario scenario, int threads) => ScenarioResults.AgreeWithLinq(Plan, Definitions, References, scenario, threads);

    /// <summary>Parents sharing one Now; rows on, and a microsecond either side of, each bound the definitions test.</summary>
    private static Gen<Scenario> Scenarios() =>
        from parents in Gen.Choose(1, 6)
        from now in Gen.Elements(Nows)
        from rows in RelationGenerators.Transactions.ArrayOf()
        from times in (from days in Gen.Elements(0, 1, 7, 30, 31, 45)
                       from micros in Gen.Choose(-1, 1)
                       select now.AddDays(-days) + TimeSpan.FromTicks(micros * 10)).ArrayOf(rows.Length)
        from owners in Gen.Choose(-1, parents + 1).ArrayOf(rows.Length)
        select new Scenario(Enumerable.Range(0, parents).Select(i => new Parent(i * 10 + 1, now)).ToArray(),
            rows.Select((row, i) => At(row, times[i])).ToArray(), owners);

    private static Transaction At(Transaction row, DateTime at)
    {
        row.At = at;
        row.Price = null; // a decimal128(38, 10) column would not hold every generated price; these definitions do not read it
        return row;
    }
}

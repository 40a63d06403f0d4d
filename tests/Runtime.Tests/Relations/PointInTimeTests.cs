using System.Linq.Expressions;
using Apache.Arrow;
using Dsl.TestSupport;
using Dsl.TestSupport.Relations;
using FsCheck;
using FsCheck.Fluent;
using Outcome = Dsl.TestSupport.Outcome;
using static Dsl.Runtime.Tests.Relations.ScenarioResults;

namespace Dsl.Runtime.Tests.Relations;

/// <summary>
/// Point-in-time visibility: a related row whose event time is after the time a parent is computed for never changes any
/// feature. For generated parents and transactions, adding rows dated after each parent's <c>Now</c> (anywhere in the
/// related batch, for parents and for orphans) leaves every feature's outcome (value, null, exception type) the same on
/// the batch path (segmented aggregation and compiled IR over materialized rows), the batch fallback (delegates over
/// materialized rows) and the online path — with a per-row Now column and with one fixed Now. And the window edges:
/// a row at exactly <c>Now</c> counts, one at exactly <c>Now − w</c> does not.
/// </summary>
public sealed class PointInTimeTests
{
    private static readonly DateTime Base = new(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc);

    private static readonly RelationInput Relation = new("Transactions", typeof(Transaction), ["Id"], ["UserId"], "At");

    private static readonly (string Name, LambdaExpression Function, TimeSpan? Window)[] Definitions =
    [
        F("sum", (rows, now) => rows.Sum(t => t.Amount)),
        F("count", (rows, now) => rows.Count()),
        F("average", (rows, now) => rows.Average(t => t.Amount)),
        F("min", (rows, now) => rows.Min(t => t.Quantity)),
        F("maxAt", (rows, now) => rows.Max(t => t.At)),
        F("sumLong", (rows, now) => rows.Sum(t => t.Cents)),
        F("any", (rows, now) => rows.Any(t => t.Merchant == "a")),
        F("all", (rows, now) => rows.All(t => t.Amount >= 0)),
        F("last", (rows, now) => rows.Select(t => t.Amount).Last()),
        F("firstOrDefault", (rows, now) => rows.Select(t => t.Merchant).FirstOrDefault()),
        F("distinct", (rows, now) => rows.Select(t => t.Quantity).Distinct().Count()),
        F("maxBy", (rows, now) => rows.MaxBy(t => t.At)!.Amount),
        F("recent", (rows, now) => rows.Where(t => t.At > now.AddDays(-7)).Sum(t => t.Amount)),
        F("loop", (rows, now) => rows.Aggregate(0.0, (total, t) => total * 0.5 + t.Amount)),
        // A nested aggregate: runs over materialized rows.
        F("aboveMean", (rows, now) => rows.Count(t => t.Amount > rows.Average(q => q.Amount))),
        F("window1d", (rows, now) => rows.Sum(t => t.Amount), TimeSpan.FromDays(1)),
        F("window30d", (rows, now) => rows.Count(), TimeSpan.FromDays(30)),
    ];

    private static readonly FeaturePlan Plan = FeaturePlan.Create(
        Definitions.Select(d => new PlannedFeature(d.Name, FunctionCompiler.Compile(d.Function),
            new Dictionary<string, string> { ["rows"] = "Transactions", ["now"] = RelationInput.NowName }, d.Window)),
        [Relation]);

    /// <summary>How far after its parent's Now a future row is: from one microsecond (the batch's unit) to years.</summary>
    private static readonly TimeSpan[] Later =
        [TimeSpan.FromTicks(10), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(400)];

    [Test]
    public void Plan_SegmentsMostAggregates()
    {
        // The property below covers both batch routes: segmented aggregates and IR over materialized rows.
        Assert.That(Plan.SegmentedAggregates, Is.GreaterThan(0));
        Assert.That(Plan.SegmentedAggregates, Is.LessThan(Definitions.Length));
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property FutureRows_ChangeNoFeature_PerRowNow() => Prop.ForAll(Cases(fixedNow: false).ToArbitrary(), @case =>
        SameEverywhere(@case.Scenario, @case.WithFuture, fixedNow: null));

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property FutureRows_ChangeNoFeature_FixedNow() => Prop.ForAll(Cases(fixedNow: true).ToArbitrary(), @case =>
        SameEverywhere(@case.Scenario, @case.WithFuture, fixedNow: @case.Scenario.Parents.FirstOrDefault()?.Now ?? Base));

    [Test]
    public void WindowEdges_RowAtNowCounts_RowAtNowMinusWindowDoesNot([Values] bool fixedNow)
    {
        // One parent; rows at Now − 1d (out), Now − 1d + 1µs (in), Now (in), Now + 1µs (out, after Now).
        var now = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var day = TimeSpan.FromDays(1);
        var micro = TimeSpan.FromTicks(10);
        var rows = new[] { (now - day, 1.0), (now - day + micro, 10.0), (now, 100.0), (now + micro, 1000.0) }
            .Select((r, i) => new Transaction { Id = i, UserId = 1, At = r.Item1, Amount = r.Item2, Merchant = "m" }).ToArray();
        var scenario = new Scenario([new Parent(1, now)], rows, [0, 0, 0, 0]);
        var (parent, related) = scenario.Batches();
        var options = new EvaluateOptions
        {
            NowColumn = fixedNow ? null : "Now", Now = fixedNow ? now : null,
            Related = new Dictionary<string, RecordBatch> { ["Transactions"] = related },
        };
        using var batch = Plan.Evaluate(parent, options);
        using var fallback = Plan.Evaluate(parent, options with { Mode = EvaluationMode.Fallback });
        var online = Online(scenario, scenario.Parents[0], now);
        foreach (var (feature, expected) in new[] { ("window1d", (object)110.0), ("window30d", 3), ("sum", 111.0), ("count", 3), ("maxAt", now) })
        {
            Assert.That(ScenarioResults.Read(batch, feature, 0, expected.GetType()).Value, Is.EqualTo(expected), "batch " + feature);
            Assert.That(ScenarioResults.Read(fallback, feature, 0, expected.GetType()).Value, Is.EqualTo(expected), "fallback " + feature);
            Assert.That(ScenarioResults.Read(online, feature).Value, Is.EqualTo(expected), "online " + feature);
        }
    }

    [Test]
    public void NullEventTime_IsNeverVisible_EvenAsOfTheLastInstant()
    {
        // Online, Now may be DateTime.MaxValue (a batch's nanosecond Now column cannot hold it): a row with no event time stays invisible.
        var settled = Relation with { EventTime = nameof(Transaction.SettledAt) };
        var plan = FeaturePlan.Create(
            [new PlannedFeature("count", FunctionCompiler.Compile((Expression<Func<IReadOnlyList<Transaction>, int>>)(rows => rows.Count())),
                new Dictionary<string, string> { ["rows"] = "Transactions" })],
            [settled]);
        var rows = new List<Transaction> { new() { SettledAt = null }, new() { SettledAt = DateTime.MaxValue }, new() { SettledAt = DateTime.MinValue } };
        var online = plan.Invoke(plan.Inputs.Select(input => plan.RelationInputs.Online(input.Name, rows, DateTime.MaxValue)).ToArray());
        Assert.That(online["count"], Is.EqualTo(2));
    }

    /// <summary>Every feature of every parent: the same outcome over <paramref name="before"/>'s rows and <paramref name="after"/>'s, on every path.</summary>
    private static bool SameEverywhere(Scenario before, Scenario after, DateTime? fixedNow)
    {
        var results = new[] { before, after }.Select(scenario =>
        {
            var (parent, related) = scenario.Batches();
            var options = new EvaluateOptions
            {
                NowColumn = fixedNow is null ? "Now" : null, Now = fixedNow, Threads = 2, MorselSize = 64,
                Related = new Dictionary<string, RecordBatch> { ["Transactions"] = related },
            };
            return (Batch: Plan.Evaluate(parent, options), Fallback: Plan.Evaluate(parent, options with { Mode = EvaluationMode.Fallback, Threads = 1 }));
        }).ToArray();
        try
        {
            for (var p = 0; p < before.Parents.Length; p++)
            {
                var parent = before.Parents[p];
                var now = fixedNow ?? parent.Now;
                var onlineBefore = Online(before, parent, now);
                var onlineAfter = Online(after, parent, now);
                foreach (var (name, function, _) in Definitions)
                {
                    var where = $"{name}, parent {parent.Id} (now {now:O})";
                    var type = function.ReturnType;
                    AssertSame(ScenarioResults.Read(results[0].Batch, name, p, type), ScenarioResults.Read(results[1].Batch, name, p, type), "batch " + where);
                    AssertSame(ScenarioResults.Read(results[0].Fallback, name, p, type), ScenarioResults.Read(results[1].Fallback, name, p, type), "fallback " + where);
                    AssertSame(ScenarioResults.Read(onlineBefore, name), ScenarioResults.Read(onlineAfter, name), "online " + where);
                }
            }
        }
        finally
        {
            foreach (var (batch, fallback) in results)
            {
                batch.Dispose();
                fallback.Dispose();
            }
        }

        return true;
    }

    private static FeatureRow Online(Scenario scenario, Parent parent, DateTime now) =>
        Plan.Invoke(Plan.Inputs.Select(input => input.Name == RelationInput.NowName ? now : Plan.RelationInputs.Online(input.Name, scenario.RowsOf(parent.Id), now)).ToArray());

    private static void AssertSame(Outcome before, Outcome after, string where) =>
        Assert.That(after.Matches(before), $"{where}: without the future rows {before}, with them {after}");

    /// <summary>A scenario, and the same with rows dated after their parent's Now (or the fixed Now) inserted anywhere.</summary>
    private sealed record Case(Scenario Scenario, Scenario WithFuture)
    {
        public override string ToString() => $"before: {Scenario}\nafter: {WithFuture}";
    }

    private static Gen<Case> Cases(bool fixedNow) =>
        from parents in Gen.Choose(0, 5)
        from nows in Gen.Elements(Base, Base.AddDays(1), Base.AddDays(30), Base.AddDays(-1), new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc)).ArrayOf(parents)
        from rows in RelationGenerators.Transactions.Where(t => t.At < DateTime.MaxValue.AddYears(-2)).ArrayOf()
        from owners in Gen.Choose(-1, parents + 1).ArrayOf(rows.Length)
        from futureCount in Gen.Choose(1, 8)
        from future in RelationGenerators.Transactions.ArrayOf(futureCount)
        from futureOwners in Gen.Choose(-1, parents + 1).ArrayOf(futureCount)
        from later in Gen.Elements(Later).ArrayOf(futureCount)
        from positions in Gen.Choose(0, rows.Length).ArrayOf(futureCount)
        let parentList = nows.Select((now, i) => new Parent(i * 10 + 1, fixedNow ? nows[0] : now)).ToArray()
        select Build(parentList, rows.Select(NoPrice).ToArray(), owners, future.Select(NoPrice).ToArray(), futureOwners, later, positions);

    private static Case Build(Parent[] parents, Transaction[] rows, int[] owners, Transaction[] future, int[] futureOwners, TimeSpan[] later, int[] positions)
    {
        var allRows = rows.ToList();
        var allOwners = owners.ToList();
        for (var f = 0; f < future.Length; f++)
        {
            // After its parent's Now; a future orphan or keyless row is after the latest Now.
            var owner = futureOwners[f];
            var now = owner >= 0 && owner < parents.Length ? parents[owner].Now : parents.Select(p => p.Now).DefaultIfEmpty(Base).Max();
            future[f].At = now + later[f];
            var at = Math.Min(positions[f], allRows.Count);
            allRows.Insert(at, future[f]);
            allOwners.Insert(at, owner);
        }

        return new Case(new Scenario(parents, rows, owners), new Scenario(parents, [.. allRows], [.. allOwners]));
    }

    /// <summary>The row without a price (the decimal column is not what this test is about, and must hold what it is given).</summary>
    private static Transaction NoPrice(Transaction row)
    {
        row.Price = null;
        return row;
    }
}

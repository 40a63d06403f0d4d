using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport;
using Dsl.TestSupport.Relations;
using FsCheck;
using Outcome = Dsl.TestSupport.Outcome;
using FsCheck.Fluent;
using static Dsl.Runtime.Tests.Relations.ScenarioResults;

namespace Dsl.Runtime.Tests.Relations;

/// <summary>
/// Every aggregation over a relation, four ways, on generated parents and related rows: the batch path (segmented
/// aggregation where it applies, else compiled IR over materialized rows), the batch fallback (each function's own
/// delegate over materialized rows), the online path (one parent, its rows as objects) and LINQ-to-objects (the
/// expression compiled by .NET, called on the rows the parent sees). Values (bit for bit), nulls and exception types
/// must agree. Rows have NaN, ±0, ±Infinity, extremes and nulls; parents have 0, 1 or many rows (some after their Now,
/// some exactly on window edges), related rows may belong to no parent or have no key.
/// </summary>
public sealed class AggregationDifferentialTests
{
    private static readonly DateTime Base = new(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc);

    private static readonly RelationInput Relation = new("Transactions", typeof(Transaction), ["Id"], ["UserId"], "At");

    /// <summary>The same relation with a nullable event time: a row whose <see cref="Transaction.SettledAt"/> is null is never visible.</summary>
    private static readonly RelationInput SettledRelation = Relation with { EventTime = nameof(Transaction.SettledAt) };

    /// <summary>The aggregations: name, function of (rows, now), and the window of its feature.</summary>
    private static readonly (string Name, LambdaExpression Function, TimeSpan? Window)[] Definitions =
    [
        F("sum", (rows, now) => rows.Sum(t => t.Amount)),
        F("sumNullable", (rows, now) => rows.Sum(t => t.Discount)),
        F("sumInt", (rows, now) => rows.Sum(t => t.Quantity)),
        F("sumLong", (rows, now) => rows.Sum(t => t.Cents)),
        F("sumFloat", (rows, now) => rows.Sum(t => t.Weight)),
        F("sumDecimal", (rows, now) => rows.Sum(t => t.Price)),
        F("count", (rows, now) => rows.Count()),
        F("countWhere", (rows, now) => rows.Count(t => t.Amount > 1)),
        F("longCount", (rows, now) => rows.LongCount(t => t.Discount == null)),
        F("average", (rows, now) => rows.Average(t => t.Amount)),
        F("averageNullable", (rows, now) => rows.Average(t => t.Discount)),
        F("averageInt", (rows, now) => rows.Average(t => t.Quantity)),
        F("averageFloat", (rows, now) => rows.Average(t => t.Weight)),
        F("averageDecimal", (rows, now) => rows.Average(t => t.Price)),
        F("min", (rows, now) => rows.Min(t => t.Amount)),
        F("max", (rows, now) => rows.Max(t => t.Amount)),
        F("minNullable", (rows, now) => rows.Min(t => t.Discount)),
        F("maxInt", (rows, now) => rows.Max(t => t.Quantity)),
        F("maxAt", (rows, now) => rows.Max(t => t.At)),
        F("minPrice", (rows, now) => rows.Min(t => t.Price)),
        F("any", (rows, now) => rows.Any()),
        F("anyWhere", (rows, now) => rows.Any(t => t.Merchant == "a")),
        F("all", (rows, now) => rows.All(t => t.Amount >= 0)),
        F("first", (rows, now) => rows.Where(t => t.Amount > 0).Select(t => t.Quantity).First()),
        F("firstOrDefault", (rows, now) => rows.Where(t => t.Cents > 0).Select(t => (long?)t.Cents).FirstOrDefault()),
        F("last", (rows, now) => rows.Select(t => t.Amount).Last()),
        F("lastOrDefault", (rows, now) => rows.Where(t => t.Quantity > 1).Select(t => t.Merchant).LastOrDefault()),
        F("contains", (rows, now) => rows.Select(t => t.Merchant).Contains("b")),
        F("distinct", (rows, now) => rows.Select(t => t.Amount).Distinct().Count()),
        F("recent", (rows, now) => rows.Where(t => t.At > now.AddDays(-30)).Sum(t => t.Amount)),
        // The instant is computed once per parent; for a Now in 1678 it throws, which must fail exactly the parents with rows.
        F("farBack", (rows, now) => rows.Where(t => t.At > now.AddDays(-700_000)).Sum(t => t.Amount)),
        F("farBackMirrored", (rows, now) => rows.Count(t => now.AddDays(-700_000) <= t.At)),
        F("lastMonthAtOrAfter", (rows, now) => rows.Where(t => t.At >= now - TimeSpan.FromDays(30)).Average(t => t.Amount)),
        F("beforeLastWeek", (rows, now) => rows.Where(t => t.At < now.AddDays(-7) && t.Amount > 0).Select(t => t.Amount).Max()),
        F("throwing", (rows, now) => rows.Sum(t => 10 / t.Quantity)),
        F("checked", (rows, now) => rows.Max(t => checked(t.Quantity * 2))),
        F("combined", (rows, now) => rows.Sum(t => t.Amount) / Math.Max(1, rows.Count())),
        F("lazy", (rows, now) => rows.Count() > 0 ? rows.Average(t => t.Amount) : -1.0),
        F("maxBy", (rows, now) => rows.MaxBy(t => t.At)!.Amount),
        // A member of MinBy/MaxBy's row: ties keep the first row, NaN keys are below every number, null keys are skipped
        // (all null: the first row), an empty sequence's row is null (NullReferenceException).
        F("maxByTies", (rows, now) => rows.MaxBy(t => t.Quantity)!.Id),
        F("minByNaN", (rows, now) => rows.MinBy(t => t.Amount)!.Merchant),
        F("maxByNaN", (rows, now) => rows.MaxBy(t => t.Weight)!.Discount),
        F("minByNullable", (rows, now) => rows.MinBy(t => t.Discount)!.Cents),
        F("maxByFiltered", (rows, now) => rows.Where(t => t.At > now.AddDays(-30)).MaxBy(t => t.Price)!.Amount),
        F("maxByGuarded", (rows, now) => rows.Any() ? rows.MaxBy(t => t.At)!.Amount : (double?)null),
        F("maxByWindow", (rows, now) => rows.MaxBy(t => t.Cents)!.Quantity, TimeSpan.FromDays(1)),
        F("windowSum", (rows, now) => rows.Sum(t => t.Amount), TimeSpan.FromDays(1)),
        F("windowCount", (rows, now) => rows.Count(), TimeSpan.FromDays(31)),
        // Folds: each step reads the row's members (or the selected value), Now and the accumulator; a step may throw.
        F("fold", (rows, now) => rows.Aggregate(0.0, (total, t) => total * 0.5 + t.Amount)),
        F("foldCount", (rows, now) => rows.Where(t => t.Merchant != "b").Aggregate(0, (n, t) => t.Amount > 1 ? n + 1 : n)),
        F("foldSelected", (rows, now) => rows.Select(t => t.Quantity).Aggregate(1L, (p, q) => checked(p * 3 + q))),
        F("foldRecent", (rows, now) => rows.Aggregate(0, (n, t) => t.At > now.AddDays(-7) ? n + 1 : n)),
        F("foldWindow", (rows, now) => rows.Aggregate(-1.0, (m, t) => Math.Max(m, t.Net)), TimeSpan.FromDays(31)),
        // Filters on a nullable time (null compares false, as C#'s lifted comparisons do), whichever time the relation's event time is.
        F("settledRecent", (rows, now) => rows.Where(t => t.SettledAt > now.AddDays(-30)).Sum(t => t.Amount)),
        F("settledWeekAgo", (rows, now) => rows.Count(t => t.SettledAt <= now.AddDays(-7))),
        F("settledNotBefore", (rows, now) => rows.Count(t => !(t.SettledAt < now - TimeSpan.FromDays(1)))),
        F("settledUnset", (rows, now) => rows.LongCount(t => t.SettledAt == null)),
        F("settledMax", (rows, now) => rows.Max(t => t.SettledAt)),
        F("settledMin", (rows, now) => rows.Min(t => t.SettledAt)),
        F("settledWindow", (rows, now) => rows.Where(t => t.SettledAt >= now.AddDays(-1)).Select(t => t.Quantity).Sum(), TimeSpan.FromDays(31)),
    ];

    private static readonly FeaturePlan Plan = PlanOver(Relation);

    /// <summary>The definitions over the relation whose event time is nullable.</summary>
    private static readonly FeaturePlan SettledPlan = PlanOver(SettledRelation);

    private static FeaturePlan PlanOver(RelationInput relation) => FeaturePlan.Create(
        Definitions.Select(d => new PlannedFeature(d.Name, FunctionCompiler.Compile(d.Function),
            new Dictionary<string, string> { ["rows"] = "Transactions", ["now"] = RelationInput.NowName }, d.Window)),
        [relation]);

    private static readonly Delegate[] References = Definitions.Select(d => d.Function.Compile()).ToArray();

    [Test]
    public void Plan_MovesTheCommonKindsIntoSegmentedAggregation()
    {
        var compiled = Definitions.Select(d => (d.Name, Function: FunctionCompiler.Compile(d.Function))).Where(d => d.Function.Mode != ExecutionMode.Compiled).Select(d => d.Name + ": " + d.Function.FallbackReason);
        Assert.That(compiled, Is.Empty, "every definition lowers");
        Assert.That(Plan.SegmentedAggregates, Is.GreaterThanOrEqualTo(Definitions.Length - 3), "all but the element-valued and nested ones are segmented");
    }

    [Test]
    public void Plan_SegmentsFolds_FromLinqAndFromAForeachLoop()
    {
        Func<IReadOnlyList<Transaction>, int> loop = rows =>
        {
            var count = 0;
            foreach (var row in rows)
            {
                if (row.Amount > 1000) count++;
            }

            return count;
        };
        var function = FunctionCompiler.Compile(loop);
        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Compiled), function.FallbackReason);
        var plan = FeaturePlan.Create([new PlannedFeature("large", function, new Dictionary<string, string> { ["rows"] = "Transactions" })], [Relation]);
        Assert.That(plan.SegmentedAggregates, Is.EqualTo(1));
        var folds = Definitions.Where(d => d.Name.StartsWith("fold", StringComparison.Ordinal)).ToArray();
        var foldPlan = FeaturePlan.Create(folds.Select(d => new PlannedFeature(d.Name, FunctionCompiler.Compile(d.Function),
            new Dictionary<string, string> { ["rows"] = "Transactions", ["now"] = RelationInput.NowName }, d.Window)), [Relation]);
        Assert.That(foldPlan.SegmentedAggregates, Is.EqualTo(folds.Length), "every fold is segmented");
    }

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property FourPaths_AgreeOnEveryParent() => Prop.ForAll(Scenarios().ToArbitrary(), scenario => FourPathsAgree(Plan, scenario, t => t.At));

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property FourPaths_AgreeOnEveryParent_NullableEventTime() =>
        Prop.ForAll(Scenarios().ToArbitrary(), scenario => FourPathsAgree(SettledPlan, scenario, t => t.SettledAt));

    private static void FourPathsAgree(FeaturePlan plan, Scenario scenario, Func<Transaction, DateTime?> eventTime)
    {
        var (parentBatch, relatedBatch) = scenario.Batches();
        var related = new Dictionary<string, RecordBatch> { ["Transactions"] = relatedBatch };
        using var auto = plan.Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = related, Threads = 2, MorselSize = 64 });
        using var fallback = plan.Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = related, Mode = EvaluationMode.Fallback, Threads = 1 });
        for (var p = 0; p < scenario.Parents.Length; p++)
        {
            var parent = scenario.Parents[p];
            var online = plan.Invoke(plan.Inputs.Select(input => OnlineInput(plan, input.Name, scenario, parent)).ToArray());
            for (var f = 0; f < Definitions.Length; f++)
            {
                var (name, function, window) = Definitions[f];
                var visible = scenario.Visible(parent, window, eventTime);
                var expected = Outcome.Capture(() => References[f].DynamicInvoke(visible, parent.Now));
                var where = $"{name}, parent {parent.Id} (now {parent.Now:O}, {visible.Count} visible rows: {string.Join(", ", visible)})";
                // Batch results go through their Arrow column (a decimal reads back at scale 28, a string as UTF-8 holds it).
                var stored = expected.Threw ? expected : Outcome.Capture(() => OutputRepresentation.Of(expected.Value));
                AssertSame(stored, ScenarioResults.Read(auto, name, p, function.ReturnType), "batch " + where);
                AssertSame(stored, ScenarioResults.Read(fallback, name, p, function.ReturnType), "fallback " + where);
                AssertSame(expected, ScenarioResults.Read(online, name), "online " + where);
            }
        }
    }

    private static void AssertSame(Outcome expected, Outcome actual, string where) =>
        Assert.That(actual.Matches(expected), $"{where}: expected {expected}, got {actual}");

    private static object? OnlineInput(FeaturePlan plan, string name, Scenario scenario, Parent parent) =>
        name == RelationInput.NowName ? parent.Now : plan.RelationInputs.Online(name, scenario.RowsOf(parent.Id), parent.Now);

    private static Gen<Scenario> Scenarios() =>
        from parents in Gen.Choose(0, 6)
        from nows in Gen.Elements(Base, Base.AddDays(1), Base.AddDays(30), Base.AddDays(-1), new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc),
            new DateTime(1678, 1, 1, 0, 0, 0, DateTimeKind.Utc)).ArrayOf(parents)
        from rows in RelationGenerators.Transactions.ArrayOf()
        from owners in Gen.Choose(-1, parents + 1).ArrayOf(rows.Length) // -1: no key; parents: orphans
        from settled in SettledTimes(nows).ArrayOf(rows.Length)
        select new Scenario(nows.Select((now, i) => new Parent(i * 10 + 1, now)).ToArray(),
            rows.Select((row, i) => Settle(FitPrice(row), settled[i])).ToArray(), owners);

    /// <summary>
    /// Nullable times on and around the edges the definitions test for some parent's Now: Now, Now − 1d, − 7d, − 30d, − 31d,
    /// each exactly and one microsecond (the batch's unit) either side; or null.
    /// </summary>
    private static Gen<DateTime?> SettledTimes(DateTime[] nows)
    {
        if (nows.Length == 0) return Gen.Constant<DateTime?>(null);
        var edges = from now in Gen.Elements(nows)
                    from days in Gen.Elements(0, 1, 7, 30, 31)
                    from micros in Gen.Choose(-1, 1)
                    select (DateTime?)(now.AddDays(-days) + TimeSpan.FromTicks(micros * 10));
        return Gen.Frequency((1, Gen.Constant<DateTime?>(null)), (3, edges));
    }

    private static Transaction Settle(Transaction row, DateTime? settledAt)
    {
        row.SettledAt = settledAt;
        return row;
    }

    /// <summary>The row with a price the decimal128(38, 10) column holds exactly (at most 10 digits after the point, 28 before), else none.</summary>
    private static Transaction FitPrice(Transaction row)
    {
        if (row.Price is { } price && (price.Scale > 10 && decimal.Round(price, 10) != price || Math.Abs(price) >= 1e28m)) row.Price = null;
        return row;
    }
}

using System.Linq.Expressions;
using Apache.Arrow;
using Dsl.TestSupport;
using Dsl.TestSupport.Relations;
using Outcome = Dsl.TestSupport.Outcome;
using static Dsl.Runtime.Tests.Relations.ScenarioResults;

namespace Dsl.Runtime.Tests.Relations;

/// <summary>
/// What the segmented kernel keeps per evaluation, pinned against LINQ-to-objects and the row-by-row path: per-parent
/// bounds that are made only when parents' bounds differ (the first parents sharing one, then another; the first parent's
/// bound throwing and the next ones not), the compact errors of aggregates that fail for many parents (read as row
/// errors, and serialized for a feature whose code evaluates the aggregate) on one thread and several, and the join's
/// parent map reused by the next evaluation over other related rows of the same count.
/// </summary>
public sealed class AggregateBoundsAndErrorsTests
{
    private static readonly DateTime Base = new(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Far = new(1678, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly RelationInput Relation = new("Transactions", typeof(Transaction), ["Id"], ["UserId"], "At");

    private static readonly (string Name, LambdaExpression Function, TimeSpan? Window)[] Definitions =
    [
        F("recent", (rows, now) => rows.Where(t => t.At > now.AddDays(-30)).Sum(t => t.Amount)),
        F("recentMean", (rows, now) => rows.Where(t => t.At >= now.AddDays(-7)).Average(t => t.Amount)),
        // Throws for a parent in 1678 that has rows (its bound's instant is before year 1), never for one without.
        F("farBack", (rows, now) => rows.Where(t => t.At > now.AddDays(-700_000)).Count()),
        F("dayMean", (rows, now) => rows.Average(t => t.Amount), TimeSpan.FromDays(1)),
        // Reads the aggregate in its own code: the errors reach it serialized.
        F("dayMeanTwice", (rows, now) => rows.Average(t => t.Amount) * 2, TimeSpan.FromDays(1)),
    ];

    private static readonly Delegate[] References = Definitions.Select(d => d.Function.Compile()).ToArray();

    private static FeaturePlan NewPlan() => FeaturePlan.Create(
        Definitions.Select(d => new PlannedFeature(d.Name, FunctionCompiler.Compile(d.Function),
            new Dictionary<string, string> { ["rows"] = "Transactions", ["now"] = RelationInput.NowName }, d.Window)),
        [Relation]);

    [Test]
    public void Plan_CompilesEveryFeature() => Assert.That(NewPlan().Features.Select(f => f.Function.Mode), Is.All.EqualTo(ExecutionMode.Compiled));

    [Test]
    public void BoundsThatDifferAfterTheFirstParents_AgreeWithLinq([Values(1, 3)] int threads)
    {
        // Parents 0–99 share Now, then it changes (a later parent's bound differs from the first one's), then changes back.
        var nows = Enumerable.Range(0, 300).Select(p => p < 100 ? Base : p < 200 ? Base.AddDays(30) : Base).ToArray();
        Agree(Scenario(nows, seed: 1), threads);
    }

    [Test]
    public void FirstParentsBoundThrows_LaterOnesDoNot_AgreeWithLinq([Values(1, 3)] int threads)
    {
        var nows = Enumerable.Range(0, 300).Select(p => p < 70 ? Far : p % 50 == 0 ? Far : Base).ToArray();
        var scenario = Scenario(nows, seed: 2);
        Agree(scenario, threads);
        var (parentBatch, relatedBatch) = scenario.Batches();
        using var batch = NewPlan().Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = new Dictionary<string, RecordBatch> { ["Transactions"] = relatedBatch } });
        Assert.That(batch.Errors["farBack"].Select(e => e.Row), Has.Some.LessThan(70).And.Some.GreaterThanOrEqualTo(100), "the bound throws for parents in 1678 with rows");
    }

    [Test]
    public void ManyFailingParents_ReportTheSameErrors_OnAnyThreadCount()
    {
        // A one-day window over rows spread across 40 days: most parents' Average is empty and fails.
        var scenario = Scenario(Enumerable.Repeat(Base, 1000).ToArray(), seed: 3);
        var plan = NewPlan();
        var (parentBatch, relatedBatch) = scenario.Batches();
        var related = new Dictionary<string, RecordBatch> { ["Transactions"] = relatedBatch };
        using var fallback = plan.Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = related, Mode = EvaluationMode.Fallback });
        foreach (var threads in new[] { 1, 2, 3 })
        {
            using var batch = plan.Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = related, Threads = threads });
            foreach (var feature in new[] { "dayMean", "dayMeanTwice", "recentMean" })
            {
                var expected = fallback.Errors[feature];
                var actual = batch.Errors[feature];
                if (feature != "recentMean") Assert.That(actual, Has.Count.GreaterThan(200), $"{feature}: the scenario should fail for many parents");
                Assert.That(actual.ToArray(), Is.EqualTo(expected.ToArray()), $"{feature} on {threads} threads: the errors, sorted by row");
                Assert.That(Enumerable.Range(0, actual.Count).Select(k => actual[k]).ToArray(), Is.EqualTo(expected.ToArray()), $"{feature}: by index as enumerated");
            }
        }
    }

    [Test]
    public void NextEvaluation_OverOtherRowsOfTheSameCount_ReusesNothingStale([Values(1, 2)] int threads)
    {
        var plan = NewPlan();
        var nows = Enumerable.Repeat(Base, 200).ToArray();
        var first = Scenario(nows, seed: 4);
        var second = Scenario(nows, seed: 5);
        Assert.That(second.Rows, Has.Length.EqualTo(first.Rows.Length));
        Agree(first, threads, plan);
        Agree(second, threads, plan);
        Agree(first, threads, plan);
    }

    /// <summary>
    /// Parents at <paramref name="nows"/>, 30 rows each on average over the 40 days before their Now (some on the 1-, 7- and
    /// 30-day edges), a few without a parent or with an unknown one.
    /// </summary>
    private static Scenario Scenario(DateTime[] nows, int seed)
    {
        var random = new Random(seed);
        var parents = nows.Select((now, p) => new Parent(p * 3 + 1, now)).ToArray();
        var owners = Enumerable.Range(0, nows.Length * 30).Select(_ => random.Next(-1, parents.Length + 2)).ToArray();
        var rows = owners.Select((owner, i) =>
        {
            var now = owner >= 0 && owner < parents.Length ? parents[owner].Now : Base;
            return new Transaction
            {
                Id = i, Amount = random.Next(-1000, 1000) / 8.0, Quantity = random.Next(1, 4), Cents = random.Next(), Merchant = "m",
                At = random.Next(10) == 0
                    ? now.AddDays(-new[] { 1, 7, 30 }[random.Next(3)]) + TimeSpan.FromTicks(10 * random.Next(-1, 2))
                    : now.AddDays(-random.Next(0, 40)).AddMinutes(random.Next(0, 1440)),
            };
        }).ToArray();
        return new Scenario(parents, rows, owners);
    }

    private static void Agree(Scenario scenario, int threads, FeaturePlan? plan = null)
    {
        plan ??= NewPlan();
        var (parentBatch, relatedBatch) = scenario.Batches();
        var related = new Dictionary<string, RecordBatch> { ["Transactions"] = relatedBatch };
        using var batch = plan.Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = related, Threads = threads, MorselSize = 64 });
        using var fallback = plan.Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = related, Mode = EvaluationMode.Fallback });
        for (var f = 0; f < Definitions.Length; f++)
        {
            var (name, function, window) = Definitions[f];
            for (var p = 0; p < scenario.Parents.Length; p++)
            {
                var parent = scenario.Parents[p];
                var visible = scenario.Visible(parent, window);
                var expected = Outcome.Capture(() => References[f].DynamicInvoke(visible, parent.Now));
                var stored = expected.Threw ? expected : Outcome.Capture(() => OutputRepresentation.Of(expected.Value));
                var where = $"{name}, parent {p} (now {parent.Now:O}, {visible.Count} visible rows, {threads} threads)";
                var actual = ScenarioResults.Read(batch, name, p, function.ReturnType);
                Assert.That(actual.Matches(stored), $"batch {where}: expected {stored}, got {actual}");
            }

            Assert.That(batch.Errors[name].ToArray(), Is.EqualTo(fallback.Errors[name].ToArray()), $"{name}: the batch's errors are the row-by-row path's");
        }
    }
}

using System.Text.Json;
using Dsl.Cli.Tests.Support;

namespace Dsl.Cli.Tests.Commands;

/// <summary><c>dsl inspect --assembly … --feature-set …</c>: verdicts, lowered IR and the plan of aggregations over related rows.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class FeatureSetInspectCommandTests
{
    private static readonly string SampleAssembly = typeof(Samples.UserFeatures).Assembly.Location;

    [Test]
    public void Inspect_FeatureSet_ShowsEachAggregationsLoweredFormJoinWindowAndPlan()
    {
        var run = DslTool.Run("inspect", "--assembly", SampleAssembly, "--feature-set", "UserFeatures");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("feature set: Dsl.Samples.UserFeatures (User)"));
        Assert.That(run.Stdout, Does.Contain("relation:    User.Transactions: has many Transaction on Transaction.UserId = User.Id, visible when Transaction.CreatedAt <= Now"));
        Assert.That(run.Stdout, Does.Contain("feature:  Spend[7d] (double, windowed _ expression)"));
        Assert.That(run.Stdout, Does.Contain("plan:     segmented aggregation over Transactions"));
        Assert.That(run.Stdout, Does.Contain("join:   Transactions: Transaction.UserId = parent.Id"));
        Assert.That(run.Stdout, Does.Contain("sees:   rows with Now - 7d < Transaction.CreatedAt <= Now (window 7d)"));
        Assert.That(run.Stdout, Does.Contain("sees:   rows with Transaction.CreatedAt <= Now\n").Or.Contain("sees:   rows with Transaction.CreatedAt <= Now\r\n"));
        Assert.That(run.Stdout, Does.Match(@"\$agg\d+ = Transactions\.Select\(\w+ => \w+\.Subtotal\)\.Sum\(\)"));
        // The resolver's foreach loop is lowered into the aggregation IR too (a fold), and the plan says how it runs.
        Assert.That(run.Stdout, Does.Contain("feature:  LargeTransactions (int, resolver)"));
        Assert.That(run.Stdout, Does.Contain("loop transactions.Aggregate(0, "));
        Assert.That(run.Stdout, Does.Match(@"feature:  LastSubtotal \(double\?, _ expression\)\s+verdict:  compiled\s+plan:     (segmented aggregation over|compiled over materialized) Transactions"));
        Assert.That(run.Stdout, Does.Contain("IR:"));
    }

    [Test]
    public void Inspect_OneFeatureAsJson_GivesItsPlan()
    {
        var run = DslTool.Run("inspect", "--assembly", SampleAssembly, "--feature-set", "Dsl.Samples.UserFeatures", "--feature", "Spend[30d]", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.That(features, Has.Count.EqualTo(1));
        var feature = features[0];
        Assert.That(feature.GetProperty("name").GetString(), Is.EqualTo("Spend[30d]"));
        Assert.That(feature.GetProperty("mode").GetString(), Is.EqualTo("compiled"));
        Assert.That(feature.GetProperty("ir").GetString(), Does.Contain("Sum"));
        var plan = feature.GetProperty("plan");
        Assert.That(plan.GetProperty("strategy").GetString(), Is.EqualTo("segmented"));
        Assert.That(plan.GetProperty("window").GetString(), Is.EqualTo("30d"));
        var relation = plan.GetProperty("relations").EnumerateArray().Single();
        Assert.That(relation.GetProperty("join").GetString(), Is.EqualTo("Transactions: Transaction.UserId = parent.Id"));
        Assert.That(relation.GetProperty("eventTime").GetString(), Is.EqualTo("CreatedAt"));
        var aggregate = plan.GetProperty("aggregates").EnumerateArray().Single();
        Assert.That(aggregate.GetProperty("aggregate").GetString(), Does.EndWith(".Sum()"));
        Assert.That(aggregate.GetProperty("window").GetString(), Is.EqualTo("30d"));
        Assert.That(aggregate.GetProperty("canFail").ValueKind, Is.EqualTo(JsonValueKind.True).Or.EqualTo(JsonValueKind.False));
    }

    [Test]
    public void Inspect_AggregationOutsideTheSegmentedKernel_SaysItRunsOverMaterializedRows()
    {
        using var directory = new TempDirectory();
        var assembly = UserAssemblies.CompileShop(directory, "public int AboveMean { get; set; }", """
            public sealed class ShopFeatures : FeatureSet<Shop>
            {
                protected override void Define(FeatureSetBuilder<Shop> f) =>
                    f.Define(s => s.AboveMean, _ => _.Payments.Count(p => p.Amount > _.Payments.Average(q => q.Amount)));
            }
            """);

        var run = DslTool.Run("inspect", "--assembly", assembly, "--feature-set", "ShopFeatures", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var plan = json.RootElement.GetProperty("features")[0].GetProperty("plan");
        Assert.That(plan.GetProperty("strategy").GetString(), Is.EqualTo("materialized-compiled").Or.EqualTo("materialized-row-by-row"));
        Assert.That(plan.GetProperty("aggregates").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Inspect_UnknownFeature_Exits2ListingTheComputedFeatures()
    {
        var run = DslTool.Run("inspect", "--assembly", SampleAssembly, "--feature-set", "UserFeatures", "--feature", "Spend[2d]");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("has no computed feature 'Spend[2d]'; its computed features are Spend[1d], TransactionCount, MeanSubtotal, LastSubtotal, LargeTransactions, Spend[7d], Spend[30d]"));
    }

    [Test]
    public void Inspect_LambdaAndAssemblyTogether_Exits2()
    {
        var run = DslTool.Run("inspect", "-e", "(double x) => x", "--assembly", SampleAssembly, "--feature-set", "UserFeatures");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("give either a lambda (-e or -f) or --assembly with --feature-set, not both"));
    }
}

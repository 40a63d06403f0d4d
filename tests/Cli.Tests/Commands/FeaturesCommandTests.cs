using Dsl.Cli.Tests.Support;

namespace Dsl.Cli.Tests.Commands;

public sealed class FeaturesCommandTests
{
    [Test]
    public void Features_SampleAssembly_ListsEveryFeatureWithItsVerdict()
    {
        var run = DslTool.Run("features", "--assembly", typeof(Samples.TransactionFeatures).Assembly.Location);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Dsl.Samples.TransactionFeatures (Transaction)"));
        Assert.That(run.Stdout, Does.Match(@"Id\s+long\s+input, primary key"));
        Assert.That(run.Stdout, Does.Match(@"IsExpensive\s+bool\s+_ expression: compiled"));
        Assert.That(run.Stdout, Does.Match(@"Total\s+double\s+resolver: compiled"));
        Assert.That(run.Stdout, Does.Match(@"LargeTaxableTotal\s+bool\s+string expression: (compiled|fallback: .+)"));
    }

    [Test]
    public void Features_SampleAssembly_ListsTheRelationAndHowEachAggregationRuns()
    {
        var run = DslTool.Run("features", "--assembly", typeof(Samples.UserFeatures).Assembly.Location);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Dsl.Samples.UserFeatures (User)"));
        Assert.That(run.Stdout, Does.Match(@"Transactions\s+IReadOnlyList<Transaction>\s+relation: User.Transactions: has many Transaction on Transaction.UserId = User.Id, visible when Transaction.CreatedAt <= Now"));
        foreach (var window in new[] { "1d", "7d", "30d" })
            Assert.That(run.Stdout, Does.Match($@"Spend\[{window}\]\s+double\s+windowed _ expression: compiled, segmented aggregation over Transactions"));
        Assert.That(run.Stdout, Does.Match(@"TransactionCount\s+int\s+_ expression: compiled, segmented aggregation over Transactions"));
        Assert.That(run.Stdout, Does.Match(@"LargeTransactions\s+int\s+resolver: compiled, (segmented aggregation over|compiled over materialized) Transactions"));
        Assert.That(run.Stdout, Does.Match(@"LastSubtotal\s+double\?\s+_ expression: compiled, (segmented aggregation over|compiled over materialized) Transactions"));
    }

    [Test]
    public void Features_AggregationThatFallsBack_SaysWhyAndThatItRunsRowByRowOverMaterializedRows()
    {
        using var directory = new TempDirectory();
        var path = UserAssemblies.CompileShop(directory, "public int Noisy { get; set; }", """
            public sealed class ShopFeatures : FeatureSet<Shop>
            {
                protected override void Define(FeatureSetBuilder<Shop> f) => f.Resolve(s => s.Noisy, Noisy);
                public static int Noisy(IReadOnlyList<Payment> payments) => payments.Count(p => p.Amount > new Random(1).NextDouble());
            }
            """);

        var run = DslTool.Run("features", "--assembly", path);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Match(@"Noisy\s+int\s+resolver: fallback: .+; row by row over materialized Payments rows"));
    }

    [Test]
    public void Features_SetWithACycle_IsListedWithItsErrorAndExits2()
    {
        using var directory = new TempDirectory();
        var path = UserAssemblies.Compile(directory, """
            using Dsl;
            public sealed class Loop { public double A { get; set; } public double B { get; set; } public double C { get; set; } }
            public sealed class LoopFeatures : FeatureSet<Loop>
            {
                protected override void Define(FeatureSetBuilder<Loop> f) => f.Define(l => l.A, "b + 1").Define(l => l.B, _ => _.A * 2);
            }
            """);

        var run = DslTool.Run("features", "--assembly", path);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stdout, Does.Contain("LoopFeatures: error: Loop.A: features depend on each other in a cycle: A -> B -> A"));
    }

    [Test]
    public void Features_MissingAssembly_Exits2()
    {
        var run = DslTool.Run("features", "--assembly", "/no/such/Features.dll");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("dsl: cannot read assembly"));
    }
}

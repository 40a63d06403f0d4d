using Dsl.Cli.Tests.Support;

namespace Dsl.Cli.Tests.Commands;

public sealed class DemoCommandTests
{
    [Test]
    public void Demo_FewRows_ShowsVerdictsThroughputAndAgreement()
    {
        var run = DslTool.Run("demo", "--rows", "5000");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        foreach (var feature in new[] { "IsExpensive", "Total", "EmailUsername", "LargeTaxableTotal" })
            Assert.That(run.Stdout, Does.Contain(feature));
        Assert.That(run.Stdout, Does.Contain("speed-up"));
        Assert.That(run.Stdout, Does.Match(@"all features\S*\s+│ 5,000 │ [0-9.]+ M/s"));
        Assert.That(run.Stdout, Does.Contain("compiled equals row by row on the first 5,000 rows: yes"));
    }

    [Test]
    public void Demo_UserFeatures_ShowsAggregationPlansTimingsAndAgreement()
    {
        var run = DslTool.Run("demo", "--rows", "5000");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("User features"));
        foreach (var feature in new[] { "Spend[1d]", "Spend[7d]", "Spend[30d]", "TransactionCount", "MeanSubtotal", "LastSubtotal", "LargeTransactions" })
            Assert.That(run.Stdout, Does.Match($@"{System.Text.RegularExpressions.Regex.Escape(feature)}\s+│ [0-9.,]+ ms\s+│ [0-9.,]+ ms"), feature);
        Assert.That(run.Stdout, Does.Match(@"Spend\[30d\]\s+│ double\s+│ windowed _[^│]*│ compiled\s+│ segmented"));
        Assert.That(run.Stdout, Does.Match(@"all features\S*\s+│ [0-9.,]+ ms"));
        Assert.That(run.Stdout, Does.Contain("compiled equals row by row for all 250 users: yes"));
    }

    [Test]
    public void Demo_OnlineQuery_ComputedThenFromTheStore()
    {
        var run = DslTool.Run("demo", "--rows", "5000");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Online query"));
        var unwrapped = System.Text.RegularExpressions.Regex.Replace(run.Stdout, @"\s*\n\s*", " "); // the console wraps long lines
        Assert.That(unwrapped, Does.Contain("resolver 'transactions_by_user': SQL on duckdb 'main', online"));
        Assert.That(run.Stdout, Does.Match(@"User\.TotalSpend\s+│ 3524\.25\s+│ computed\s+│ store \(0 s old\)"));
        Assert.That(run.Stdout, Does.Match(@"User\.Spend30d\s+│ [0-9.]+\s+│ computed\s+│ computed"));
        Assert.That(run.Stdout, Does.Contain("the stored answer equals the computed one: yes"));
    }

    [Test]
    public void Demo_ZeroRows_Exits2()
    {
        var run = DslTool.Run("demo", "--rows", "0");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
    }
}

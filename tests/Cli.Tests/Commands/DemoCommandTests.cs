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
    public void Demo_ZeroRows_Exits2()
    {
        var run = DslTool.Run("demo", "--rows", "0");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
    }
}

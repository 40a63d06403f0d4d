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
    public void Demo_ZeroRows_Exits2()
    {
        var run = DslTool.Run("demo", "--rows", "0");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
    }
}

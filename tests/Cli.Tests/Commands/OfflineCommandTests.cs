using Dsl.Cli.Tests.Support;

namespace Dsl.Cli.Tests.Commands;

/// <summary><c>dsl ingest</c> and <c>dsl offline</c> end to end: rows ingested, a spine answered point in time into Parquet.</summary>
public sealed class OfflineCommandTests
{
    private static readonly DateTime Base = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Ingested_values_are_answered_point_in_time_and_the_rest_recomputed()
    {
        using var temp = new TempDirectory();
        ArrowFiles.Write(temp.File("rows.parquet"), ("user_id", ArrowFiles.Longs(1, 1, 2)), ("ts", ArrowFiles.Times(Base.AddDays(-2), Base, Base.AddDays(-1))),
            ("total_spend", ArrowFiles.Doubles(10, 20, double.NaN)));
        var ingest = DslTool.Run("ingest", temp.File("rows.parquet"), "--store", temp.File("store"), "--entity", "user");
        Assert.That(ingest.ExitCode, Is.EqualTo(0), ingest.ToString());
        Assert.That(ingest.Stdout, Does.StartWith("ingested 3 values"));

        ArrowFiles.Write(temp.File("spine.parquet"), ("user_id", ArrowFiles.Longs(1, 1, 2, 3)),
            ("ts", ArrowFiles.Times(Base.AddDays(-1), Base, Base.AddDays(-3), Base)));
        var run = DslTool.Run("offline", "--spine", temp.File("spine.parquet"), "--out", "user.total_spend", "--out", "user.spend30d",
            "--output", temp.File("training.parquet"), "--store", temp.File("store"), "--users", "5");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("4 rows, 2 features").And.Contain("User.TotalSpend: from the store, 2 values").And.Contain("User.Spend30d: recomputed, 4 values"));
        Assert.That(run.Stderr, Does.Contain("rows 4/4 (100%)"));
        var (fields, columns) = ArrowFiles.Read(temp.File("training.parquet"));
        Assert.That(fields.Select(f => f.Name), Is.EqualTo(new[] { "user_id", "ts", "User.TotalSpend", "User.Spend30d" }));
        Assert.That(columns[2], Is.EqualTo(new object?[] { 10.0, 20.0, null, null }));
    }

    [Test]
    public void A_spine_without_a_key_column_is_refused_naming_it()
    {
        using var temp = new TempDirectory();
        ArrowFiles.Write(temp.File("spine.parquet"), ("account", ArrowFiles.Longs(1)), ("ts", ArrowFiles.Times(Base)));
        var run = DslTool.Run("offline", "--spine", temp.File("spine.parquet"), "--out", "user.total_spend", "--output", temp.File("out.parquet"), "--users", "1");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("no key column for User.Id").And.Contain("account, ts"));
    }

    [Test]
    public void Ingesting_a_column_that_names_no_feature_is_refused()
    {
        using var temp = new TempDirectory();
        ArrowFiles.Write(temp.File("rows.parquet"), ("user_id", ArrowFiles.Longs(1)), ("ts", ArrowFiles.Times(Base)), ("spendd", ArrowFiles.Doubles(1)));
        var run = DslTool.Run("ingest", temp.File("rows.parquet"), "--store", temp.File("store"), "--entity", "user");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("'spendd' names no feature of User"));
    }
}

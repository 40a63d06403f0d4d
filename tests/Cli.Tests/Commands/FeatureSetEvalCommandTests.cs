using Dsl.Cli.Tests.Support;
using static Dsl.Cli.Tests.Support.ArrowFiles;

namespace Dsl.Cli.Tests.Commands;

/// <summary>
/// <c>dsl eval --assembly … --feature-set …</c> over real files: the sample <see cref="Samples.UserFeatures"/> (windowed
/// spend, count, mean, most recent subtotal, a resolver's filtered count) over users and their transactions.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FeatureSetEvalCommandTests
{
    private static readonly DateTime Now = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string SampleAssembly = typeof(Samples.UserFeatures).Assembly.Location;

    /// <summary>
    /// Users 1, 2 and 3 (3 has no transactions); transactions in recording order, some exactly on window edges: user 2's
    /// 500 at exactly Now − 1d and 30 at exactly Now − 7d, user 1's 0.25 at exactly Now; user 2's 9999 after Now; one of
    /// user 9, who is not in the users file.
    /// </summary>
    private static void WriteTransactions(string path) => Write(path,
        ("Id", Longs(0, 1, 2, 3, 4, 5, 6, 7)),
        ("UserId", Longs(1, 1, 1, 2, 2, 9, 1, 2)),
        ("Subtotal", Doubles(50, 1500, 20, 500, 9999, 7, 0.25, 30)),
        ("CreatedAt", Times(Now.AddDays(-0.5), Now.AddDays(-3), Now.AddDays(-40), Now.AddDays(-1), Now.AddDays(1), Now.AddDays(-1), Now, Now.AddDays(-7))));

    private static ToolRun EvalUsers(TempDirectory directory, string users, string transactions, params string[] options)
    {
        WriteTransactions(directory.File(transactions));
        return DslTool.Run([
            "eval", "--assembly", SampleAssembly, "--feature-set", "UserFeatures", "--input", directory.File(users),
            "--output", directory.File("out.arrow"), "--related", $"Transactions={directory.File(transactions)}", .. options]);
    }

    private static Dictionary<string, object?[]> Columns(string path)
    {
        var (fields, columns) = Read(path);
        return fields.Select((f, i) => (f.Name, columns[i])).ToDictionary(x => x.Name, x => x.Item2);
    }

    [Test]
    public void Eval_FeatureSetWithRelatedRowsAndNow_WritesKeysFeaturesAndErrors()
    {
        using var directory = new TempDirectory();
        Write(directory.File("users.parquet"), ("Id", Longs(1, 2, 3)));

        var run = EvalUsers(directory, "users.parquet", "transactions.arrow", "--now", "2026-06-30T12:00:00Z");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout.Trim(), Does.Match(@"^features=7 compiled=7 rows=3 errors=0 ms=\d+(\.\d+)?$"));
        var (fields, _) = Read(directory.File("out.arrow"));
        Assert.That(fields.Select(f => f.Name), Is.EqualTo(new[]
        {
            "Id", "Spend[1d]", "TransactionCount", "MeanSubtotal", "LastSubtotal", "LargeTransactions", "Spend[7d]", "Spend[30d]", "error",
        }));
        var columns = Columns(directory.File("out.arrow"));
        Assert.That(columns["Id"], Is.EqualTo(new object?[] { 1L, 2L, 3L }));
        // (Now − w, Now]: user 1's 0.25 at exactly Now counts; user 2's 500 at exactly Now − 1d and 30 at exactly Now − 7d do not.
        Assert.That(columns["Spend[1d]"], Is.EqualTo(new object?[] { 50.25, 0.0, 0.0 }));
        Assert.That(columns["Spend[7d]"], Is.EqualTo(new object?[] { 1550.25, 500.0, 0.0 }));
        Assert.That(columns["Spend[30d]"], Is.EqualTo(new object?[] { 1550.25, 530.0, 0.0 }));
        // The 9999 after Now is invisible; the orphan of user 9 belongs to no one.
        Assert.That(columns["TransactionCount"], Is.EqualTo(new object?[] { 4, 2, 0 }));
        Assert.That(columns["MeanSubtotal"], Is.EqualTo(new object?[] { 1570.25 / 4, 265.0, null }));
        Assert.That(columns["LastSubtotal"], Is.EqualTo(new object?[] { 0.25, 500.0, null }));
        Assert.That(columns["LargeTransactions"], Is.EqualTo(new object?[] { 1, 0, 0 }));
        Assert.That(columns["error"], Is.EqualTo(new object?[] { null, null, null }));
    }

    [Test]
    public void Eval_FeatureSetWithNowColumn_ComputesEachRowAsOfItsOwnTime()
    {
        using var directory = new TempDirectory();
        Write(directory.File("users.arrow"), ("Id", Longs(1, 2, 3)), ("At", Times(Now.AddDays(-1), Now.AddDays(2), Now)));

        var run = EvalUsers(directory, "users.arrow", "transactions.parquet", "--now-column", "At");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var columns = Columns(directory.File("out.arrow"));
        Assert.That(columns["At"], Is.EqualTo(new object?[] { Now.AddDays(-1), Now.AddDays(2), Now }));
        // User 1 as of Now − 1d sees its transactions at −3d and −40d; user 2 as of Now + 2d also sees the 9999 at Now + 1d.
        Assert.That(columns["TransactionCount"], Is.EqualTo(new object?[] { 2, 3, 0 }));
        Assert.That(columns["Spend[7d]"], Is.EqualTo(new object?[] { 1500.0, 10499.0, 0.0 }));
        Assert.That(columns["LastSubtotal"], Is.EqualTo(new object?[] { 1500.0, 9999.0, null }));
    }

    [Test]
    public void Eval_FeatureSetRowErrors_AreNamedPerFeatureInTheErrorColumn()
    {
        using var directory = new TempDirectory();
        var assembly = UserAssemblies.CompileShop(directory, "public double Mean { get; set; } public double Largest { get; set; }", """
            public sealed class ShopFeatures : FeatureSet<Shop>
            {
                protected override void Define(FeatureSetBuilder<Shop> f) => f
                    .Define(s => s.Mean, _ => _.Payments.Average(p => p.Amount))
                    .Define(s => s.Largest, _ => _.Payments.Max(p => p.Amount));
            }
            """);
        Write(directory.File("shops.arrow"), ("Id", Longs(10, 20)));
        Write(directory.File("payments.arrow"), ("Id", Longs(1, 2)), ("ShopId", Longs(10, 10)), ("Amount", Doubles(3, 5)));

        var run = DslTool.Run("eval", "--assembly", assembly, "--feature-set", "ShopFeatures", "--input", directory.File("shops.arrow"),
            "--related", $"payments={directory.File("payments.arrow")}", "--output", directory.File("out.parquet"));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.StartWith("features=2 compiled=2 rows=2 errors=2 ms="));
        Assert.That(run.Stdout, Does.Contain("Mean: 1 row error(s)"));
        var columns = Columns(directory.File("out.parquet"));
        Assert.That(columns["Mean"], Is.EqualTo(new object?[] { 4.0, null }));
        Assert.That(columns["Largest"], Is.EqualTo(new object?[] { 5.0, null }));
        // An empty non-nullable Average and Max throw, as LINQ-to-objects does: a row error per feature, named.
        Assert.That(columns["error"], Is.EqualTo(new object?[] { null, "Mean: System.InvalidOperationException; Largest: System.InvalidOperationException" }));
    }

    [Test]
    public void Eval_FeatureSetWithoutItsRelation_Exits2NamingIt()
    {
        using var directory = new TempDirectory();
        Write(directory.File("users.arrow"), ("Id", Longs(1)));

        var run = DslTool.Run("eval", "--assembly", SampleAssembly, "--feature-set", "UserFeatures", "--input", directory.File("users.arrow"),
            "--output", directory.File("out.arrow"), "--now", "2026-06-30T12:00:00Z");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("read relation 'Transactions' (Transaction rows): give --related Transactions=PATH"));
        Assert.That(File.Exists(directory.File("out.arrow")), Is.False);
    }

    [TestCase("--related", "Purchases=tx.arrow", "'Purchases', which is not a relation of User; its relations are Transactions")]
    [TestCase("--now", "yesterday", "--now expects an ISO 8601 time such as 2026-01-01T00:00:00Z, got 'yesterday'")]
    [TestCase("--now-column", "Missing", "--now-column 'Missing' is not a column of")]
    [TestCase("--now-column", "Id", "--now-column 'Id' is int64; it must be a timestamp")]
    [TestCase("--bind", "x=Id", "--bind and --name apply to a lambda")]
    public void Eval_FeatureSetWithABadOption_Exits2SayingWhat(string option, string value, string message)
    {
        using var directory = new TempDirectory();
        Write(directory.File("users.arrow"), ("Id", Longs(1)));
        var related = option == "--related" ? value.Replace("tx.arrow", directory.File("tx.arrow"), StringComparison.Ordinal) : value;

        var run = EvalUsers(directory, "users.arrow", "tx.arrow", option, related);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("dsl: ").And.Contain(message));
    }

    [Test]
    public void Eval_FeatureSetWithAnEventTimeAndNoNow_Exits2AskingForOne()
    {
        using var directory = new TempDirectory();
        Write(directory.File("users.arrow"), ("Id", Longs(1)));

        var run = EvalUsers(directory, "users.arrow", "tx.arrow");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("are computed as of a time (relation 'Transactions' has an event time (Transaction.CreatedAt)): give --now TIME or --now-column COLUMN"));
    }

    [Test]
    public void Eval_FeatureSetWithADuplicateParentKey_Exits2NamingTheKeyAndRows()
    {
        using var directory = new TempDirectory();
        Write(directory.File("users.arrow"), ("Id", Longs(1, 2, 1)));

        var run = EvalUsers(directory, "users.arrow", "tx.arrow", "--now", "2026-06-30");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("Relation 'Transactions': the parent key 1 appears at rows 0 and 2"));
    }

    [Test]
    public void Eval_UnknownFeatureSet_Exits2ListingTheSets()
    {
        using var directory = new TempDirectory();
        Write(directory.File("users.arrow"), ("Id", Longs(1)));

        var unknown = DslTool.Run("eval", "--assembly", SampleAssembly, "--feature-set", "NoSuchFeatures", "--input", directory.File("users.arrow"),
            "--output", directory.File("out2.arrow"));

        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.ToString());
        Assert.That(unknown.Stderr, Does.Contain("has no feature set 'NoSuchFeatures'; it has Dsl.Samples.TransactionFeatures, Dsl.Samples.UserFeatures"));
    }

    [Test]
    public void Eval_LambdaWithAFeatureSetOption_Exits2()
    {
        using var directory = new TempDirectory();
        Write(directory.File("in.arrow"), ("x", Doubles(1)));

        var run = DslTool.Run("eval", "-e", "(double x) => x", "--input", directory.File("in.arrow"), "--output", directory.File("out.arrow"), "--now", "2026-01-01");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--now applies to a feature set"));
    }
}

using Apache.Arrow;
using Dsl.Engine.Sources;

namespace Dsl.Engine.Tests.Sources;

/// <summary>
/// Statements started while a scope collects are sent to PostgreSQL as one batch; each still ends as it would alone: its own rows,
/// its own error, its own timeout.
/// </summary>
public sealed class StatementBatchingTests
{
    private static PostgresSource Open() => new("accounts", TestServers.Postgres.ConnectionString);

    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static long Single(SourceResult result) => ((Int64Array)result.Batches.Single().Column(0)).GetValue(0)!.Value;

    [Test]
    public async Task Send_ThreeStatementsOnOneSource_OneBatchAndEachItsOwnRows()
    {
        await using var source = Open();
        var batching = StatementBatching.Begin();
        var first = source.ReadAllAsync("SELECT @k::bigint AS v", [new SqlParameterValue("k", 1L)]);
        var second = source.ReadAllAsync("SELECT g::bigint AS v FROM generate_series(1, 3) g", []);
        var third = source.ReadAllAsync("SELECT @k::bigint AS v", [new SqlParameterValue("k", 3L)]);
        batching.Send();

        Assert.That(Single(await first.WaitAsync(Hang)), Is.EqualTo(1));
        Assert.That(((Int64Array)(await second.WaitAsync(Hang)).Batches.Single().Column(0)).Values.ToArray(), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(Single(await third.WaitAsync(Hang)), Is.EqualTo(3));
        Assert.That(source.BatchesSent, Is.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public async Task Send_OneStatementFails_OnlyItFailsWithItsOwnError(int failing)
    {
        await using var source = Open();
        var batching = StatementBatching.Begin();
        // Fails while running (division by zero), after the statements before it have answered.
        var reads = Enumerable.Range(0, 3)
            .Select(i => source.ReadAllAsync(i == failing ? "SELECT (1 / (@k - @k))::bigint AS v" : "SELECT @k::bigint AS v", [new SqlParameterValue("k", (long)i)]))
            .ToList();
        batching.Send();

        for (var i = 0; i < reads.Count; i++)
        {
            if (i == failing)
            {
                var error = Assert.ThrowsAsync<DataSourceException>(async () => await reads[i].WaitAsync(Hang));
                Assert.That(error!.ErrorKind, Is.EqualTo(DataSourceErrorKind.QueryFailed));
                Assert.That(error.Message, Does.StartWith("Data source 'accounts':").And.Contain("division by zero"));
            }
            else Assert.That(Single(await reads[i].WaitAsync(Hang)), Is.EqualTo(i), $"statement {i}");
        }
        Assert.That(source.BatchesSent, Is.EqualTo(1), "sent as a batch, then the statements not read ran on their own");
    }

    [Test]
    public async Task Send_EmptyResults_EachAZeroRowBatchWithItsSchema()
    {
        await using var source = Open();
        var batching = StatementBatching.Begin();
        var none = source.ReadAllAsync("SELECT g::bigint AS v, 'x'::text AS label FROM generate_series(1, 0) g", []);
        var some = source.ReadAllAsync("SELECT @k::bigint AS v", [new SqlParameterValue("k", 5L)]);
        var alsoNone = source.ReadAllAsync("SELECT NULL::double precision AS d WHERE false", []);
        batching.Send();

        var empty = await none.WaitAsync(Hang);
        Assert.That(empty.RowCount, Is.Zero);
        Assert.That(empty.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "v", "label" }));
        Assert.That(Single(await some.WaitAsync(Hang)), Is.EqualTo(5));
        Assert.That((await alsoNone.WaitAsync(Hang)).Batches.Single().Length, Is.Zero);
    }

    [Test]
    public async Task Send_NullParameter_IsSqlNull()
    {
        await using var source = Open();
        var batching = StatementBatching.Begin();
        var nulls = source.ReadAllAsync("SELECT @k::bigint AS v", [new SqlParameterValue("k", null)]);
        var value = source.ReadAllAsync("SELECT @k::bigint AS v", [new SqlParameterValue("k", 2L)]);
        batching.Send();

        Assert.That((await nulls.WaitAsync(Hang)).Batches.Single().Column(0).IsNull(0));
        Assert.That(Single(await value.WaitAsync(Hang)), Is.EqualTo(2));
    }

    [Test]
    public async Task Send_OneStatementTimesOut_TheOthersAreStillAnswered()
    {
        // The server runs a batch's statements in order: the slow one would hold the next up; abandoned at its own deadline, the rest run on their own.
        await using var source = Open();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var batching = StatementBatching.Begin();
        var slow = source.ReadAllAsync("SELECT pg_sleep(20)::text AS v", [], deadline.Token);
        var quick = source.ReadAllAsync("SELECT @k::bigint AS v", [new SqlParameterValue("k", 7L)]);
        batching.Send();

        Assert.That(Single(await quick.WaitAsync(TimeSpan.FromSeconds(15))), Is.EqualTo(7), "answered without waiting for the slow statement");
        Assert.CatchAsync<OperationCanceledException>(async () => await slow.WaitAsync(Hang));
    }

    [Test]
    public async Task Send_OneStatement_RunsAlone_AndStatementsAfterSendRunAtOnce()
    {
        await using var source = Open();
        var batching = StatementBatching.Begin();
        var only = source.ReadAllAsync("SELECT @k::bigint AS v", [new SqlParameterValue("k", 1L)]);
        batching.Send();
        var after = source.ReadAllAsync("SELECT @k::bigint AS v", [new SqlParameterValue("k", 2L)]);

        Assert.That(Single(await only.WaitAsync(Hang)), Is.EqualTo(1));
        Assert.That(Single(await after.WaitAsync(Hang)), Is.EqualTo(2));
        Assert.That(source.BatchesSent, Is.Zero);
    }

    [Test]
    public async Task Send_ServerUnreachable_EveryStatementFailsUnavailableNamingTheSource()
    {
        await using var source = new PostgresSource("gone", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=1");
        var batching = StatementBatching.Begin();
        var reads = new[] { source.ReadAllAsync("SELECT 1::bigint AS v", []), source.ReadAllAsync("SELECT 2::bigint AS v", []) };
        batching.Send();

        foreach (var read in reads)
        {
            var error = Assert.ThrowsAsync<DataSourceException>(async () => await read.WaitAsync(Hang));
            Assert.That(error!.ErrorKind, Is.EqualTo(DataSourceErrorKind.Unavailable));
            Assert.That(error.Message, Does.StartWith("Data source 'gone':"));
        }
    }
}

using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Engine.Sources;

namespace Dsl.Engine.Tests.Sources;

public sealed class DuckDbSourceTests
{
    private string _directory = "";

    [SetUp]
    public void MakeDirectory() => _directory = Directory.CreateTempSubdirectory("dsl-duck-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    /// <summary>Writes a Parquet file of users (one with nulls) with DuckDB itself and returns its path.</summary>
    private string WriteUsersParquet()
    {
        var path = Path.Combine(_directory, "users.parquet");
        var writer = new DuckDbSource("writer");
        writer.Execute($"""
            COPY (SELECT * FROM (VALUES
                (1::BIGINT, 'Ann'::VARCHAR, 34::INTEGER, 0.5::DOUBLE, TRUE, TIMESTAMPTZ '2024-01-02 03:04:05.123456+00'),
                (2, NULL, NULL, NULL, NULL, NULL),
                (3, 'Zoë', 51, -1.25, FALSE, TIMESTAMPTZ '1999-12-31 23:59:59+00')
            ) AS t(id, full_name, age, score, active, created_at)) TO '{path}' (FORMAT parquet)
            """);
        writer.DisposeAsync().AsTask().Wait();
        return path;
    }

    [Test]
    public async Task QueryAsync_OverParquetView_ReturnsArrowBatchesWithTypesAndNulls()
    {
        await using var source = new DuckDbSource("lake", new DuckDbSourceOptions { ParquetViews = new Dictionary<string, string> { ["users"] = WriteUsersParquet() } });

        var result = await source.ReadAllAsync("SELECT id, full_name, age, score, active, created_at FROM users ORDER BY id", []);

        Assert.That(result.RowCount, Is.EqualTo(3));
        var batch = result.Batches.Single();
        Assert.That(batch.Schema.FieldsList.Select(f => f.DataType.TypeId), Is.EqualTo(new[]
        {
            ArrowTypeId.Int64, ArrowTypeId.String, ArrowTypeId.Int32, ArrowTypeId.Double, ArrowTypeId.Boolean, ArrowTypeId.Timestamp,
        }));
        Assert.That(((Int64Array)batch.Column(0)).Values.ToArray(), Is.EqualTo(new long[] { 1, 2, 3 }));
        var names = (StringArray)batch.Column(1);
        Assert.That(new[] { names.GetString(0), names.GetString(1), names.GetString(2) }, Is.EqualTo(new[] { "Ann", null, "Zoë" }));
        Assert.That(batch.Column(2).IsNull(1) && batch.Column(3).IsNull(1) && batch.Column(4).IsNull(1) && batch.Column(5).IsNull(1));
        Assert.That(((DoubleArray)batch.Column(3)).GetValue(2), Is.EqualTo(-1.25));
        Assert.That(((BooleanArray)batch.Column(4)).GetValue(0), Is.True);
        var created = (TimestampArray)batch.Column(5);
        Assert.That(created.GetTimestamp(0), Is.EqualTo(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234560)));
    }

    [Test]
    public async Task QueryAsync_NoRows_YieldsOneEmptyBatchWithTheSchema()
    {
        await using var source = new DuckDbSource("lake", new DuckDbSourceOptions { ParquetViews = new Dictionary<string, string> { ["users"] = WriteUsersParquet() } });

        var result = await source.ReadAllAsync("SELECT id, full_name FROM users WHERE id > 100", []);

        Assert.That(result.Batches, Has.Count.EqualTo(1));
        Assert.That(result.Batches[0].Length, Is.Zero);
        Assert.That(result.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "id", "full_name" }));
        Assert.That(result.Batches[0].Column(1), Is.InstanceOf<StringArray>());
    }

    [Test]
    public async Task QueryAsync_ListParameter_MatchesManyKeysInOneQuery()
    {
        await using var source = new DuckDbSource("lake", new DuckDbSourceOptions { ParquetViews = new Dictionary<string, string> { ["users"] = WriteUsersParquet() } });

        var result = await source.ReadAllAsync("SELECT id FROM users WHERE list_contains($ids, id) ORDER BY id", [new SqlParameterValue("ids", new long[] { 3, 1, 99 })]);

        Assert.That(result.Batches.SelectMany(b => ((Int64Array)b.Column(0)).Values.ToArray()), Is.EqualTo(new long[] { 1, 3 }));
    }

    [Test]
    public async Task QueryAsync_BatchesOutliveTheQuery()
    {
        await using var source = new DuckDbSource("mem");
        var batches = new List<RecordBatch>();
        await foreach (var batch in source.QueryAsync("SELECT i, 'row ' || i AS label FROM range(5000) t(i)", [])) batches.Add(batch);
        // More queries reuse the pooled connection: earlier batches must still read their own values.
        for (var i = 0; i < 3; i++) await source.ReadAllAsync("SELECT 42 AS x", []);

        Assert.That(batches.Count, Is.GreaterThan(1), "DuckDB returns chunks of 2,048 rows");
        var labels = batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(r => ((StringArray)b.Column(1)).GetString(r))).ToList();
        Assert.That(labels, Has.Count.EqualTo(5000));
        Assert.That(labels[4999], Is.EqualTo("row 4999"));
    }

    [Test]
    public async Task QueryAsync_ConcurrentQueries_EachGetsItsOwnAnswer()
    {
        await using var source = new DuckDbSource("mem");
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var result = await source.ReadAllAsync("SELECT $n * 2 AS doubled", [new SqlParameterValue("n", (long)i)]);
            return ((Int64Array)result.Batches[0].Column(0)).GetValue(0);
        }));

        Assert.That(answers, Is.EqualTo(Enumerable.Range(0, 16).Select(i => (long?)(i * 2))));
    }

    [Test]
    public async Task QueryAsync_BadSql_ThrowsQueryFailedNamingTheSource()
    {
        await using var source = new DuckDbSource("lake");

        var error = Assert.ThrowsAsync<DataSourceException>(() => source.ReadAllAsync("SELECT nope FROM nowhere", []));

        Assert.That(error!.SourceName, Is.EqualTo("lake"));
        Assert.That(error.ErrorKind, Is.EqualTo(DataSourceErrorKind.QueryFailed));
        Assert.That(error.Message, Does.StartWith("Data source 'lake': the query failed").And.Contain("nowhere"));
    }

    [Test]
    public void Open_ViewOverMissingFile_FailsNamingTheView()
    {
        var error = Assert.Throws<DataSourceException>(() => new DuckDbSource("lake", new DuckDbSourceOptions
        {
            ParquetViews = new Dictionary<string, string> { ["users"] = Path.Combine(_directory, "missing.parquet") },
        }));

        Assert.That(error!.Message, Does.Contain("'users'").And.Contain("missing.parquet"));
    }

    [Test]
    public async Task DatabaseFile_KeepsTablesAcrossSources()
    {
        var file = Path.Combine(_directory, "features.duckdb");
        await using (var first = new DuckDbSource("a", new DuckDbSourceOptions { DatabasePath = file, Setup = ["CREATE TABLE t AS SELECT 7 AS seven"] }))
        {
        }
        await using var second = new DuckDbSource("b", new DuckDbSourceOptions { DatabasePath = file });

        var result = await second.ReadAllAsync("SELECT seven FROM t", []);

        Assert.That(((Int32Array)result.Batches[0].Column(0)).GetValue(0), Is.EqualTo(7));
    }
}

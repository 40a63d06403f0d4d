using Apache.Arrow;
using Dsl.Runtime;
using Dsl.Runtime.Files;
using Dsl.Samples;
using DuckDB.NET.Data;

namespace Dsl.Tests.Features;

/// <summary>
/// The recipes of docs/getting-started.md ("Your data"): a feature set evaluated over DuckDB query results (a table, a
/// Parquet file, a join) and over Parquet files, batch by batch, gives the same values as the online path for each
/// entity.
/// </summary>
public sealed class DataSourceRecipeTests
{
    private const int Rows = 3000; // several DuckDB batches (DuckDB returns 2,048-row vectors)

    private static readonly CompiledFeatureSet<Transaction> Features = new TransactionFeatures().Compile();

    [Test]
    public async Task DuckDbTable_FeaturesOverQueryBatches_EqualTheOnlinePath()
    {
        using var connection = OpenWithTransactions();
        await AssertMatchesOnline(Query(connection, "SELECT * FROM transactions ORDER BY Id"));
    }

    [Test]
    public async Task DuckDbOverParquet_FeaturesOverQueryBatches_EqualTheOnlinePath()
    {
        using var directory = new TempFolder();
        var path = Path.Combine(directory.Path, "transactions.parquet");
        using var connection = OpenWithTransactions();
        Execute(connection, $"COPY transactions TO '{path}' (FORMAT parquet)");

        await AssertMatchesOnline(Query(connection, $"SELECT * FROM read_parquet('{path}') ORDER BY Id"));
    }

    [Test]
    public async Task DuckDbJoin_FeaturesOverQueryBatches_EqualTheOnlinePath()
    {
        using var connection = OpenWithTransactions();
        Execute(connection, "CREATE TABLE buyers AS SELECT Id AS OrderId, Email AS Address FROM transactions");
        Execute(connection, "CREATE TABLE orders AS SELECT * EXCLUDE (Email) FROM transactions");
        await AssertMatchesOnline(Query(connection,
            "SELECT o.*, b.Address AS Email FROM orders o JOIN buyers b ON b.OrderId = o.Id ORDER BY o.Id"));
    }

    [Test]
    public void ParquetFile_EvaluateFile_WritesFeaturesEqualToTheOnlinePath()
    {
        using var directory = new TempFolder();
        var input = Path.Combine(directory.Path, "in.parquet");
        var output = Path.Combine(directory.Path, "out.parquet");
        using (var connection = OpenWithTransactions()) Execute(connection, $"COPY (SELECT * FROM transactions ORDER BY Id) TO '{input}' (FORMAT parquet)");

        var summary = Features.EvaluateFile(input, output, new FileEvaluationOptions { KeepColumns = ["Id"] });

        Assert.That(summary.Rows, Is.EqualTo(Rows));
        using var reader = BatchFiles.OpenRead(output);
        Assert.That(reader.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "Id", "IsExpensive", "Total", "EmailUsername", "LargeTaxableTotal" }));
        var checkedRows = 0;
        while (reader.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
        {
            using (batch)
            {
                var ids = (Int64Array)batch.Column(0);
                for (var row = 0; row < batch.Length; row++, checkedRows++)
                {
                    AssertRow(batch, row, Expected(ids.GetValue(row)!.Value), offset: 1);
                }
            }
        }

        Assert.That(checkedRows, Is.EqualTo(Rows));
    }

    private static async Task AssertMatchesOnline(IAsyncEnumerable<RecordBatch> batches)
    {
        var checkedRows = 0;
        await foreach (var result in Features.EvaluateAsync(batches))
        {
            using (result)
            {
                Assert.That(result.Errors.Values.Sum(e => e.Count), Is.Zero);
                var ids = (Int64Array)result.Input.Column(result.Input.Schema.GetFieldIndex("Id"));
                for (var row = 0; row < result.Output.Length; row++, checkedRows++)
                {
                    AssertRow(result.Output, row, Expected(ids.GetValue(row)!.Value), offset: 0);
                }
            }
        }

        Assert.That(checkedRows, Is.EqualTo(Rows));
    }

    private static void AssertRow(RecordBatch output, int row, FeatureRow expected, int offset)
    {
        Assert.That(((BooleanArray)output.Column(offset)).GetValue(row), Is.EqualTo(expected["IsExpensive"]), $"IsExpensive, row {row}");
        Assert.That(((DoubleArray)output.Column(offset + 1)).GetValue(row), Is.EqualTo(expected["Total"]), $"Total, row {row}");
        Assert.That(((StringArray)output.Column(offset + 2)).GetString(row), Is.EqualTo(expected["EmailUsername"]), $"EmailUsername, row {row}");
        Assert.That(((BooleanArray)output.Column(offset + 3)).GetValue(row), Is.EqualTo(expected["LargeTaxableTotal"]), $"LargeTaxableTotal, row {row}");
    }

    /// <summary>The features of transaction <paramref name="id"/> through the online path (one entity, no Arrow).</summary>
    private static FeatureRow Expected(long id) => Features.Evaluate(Transaction(id));

    private static Transaction Transaction(long id) => new()
    {
        Id = id,
        Subtotal = id * 0.75,
        Discount = id % 4 == 0 ? null : id % 50,
        TaxRate = id % 5 == 0 ? null : 0.1 * (id % 3),
        Taxable = id % 7 != 0,
        Email = $"{(id % 2 == 0 ? "Ann.Lee" : "bob")}+t{id}@{(id % 3 == 0 ? "Gmail.com" : "example.org")}",
    };

    private static DuckDBConnection OpenWithTransactions()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "CREATE TABLE transactions (Id BIGINT, Subtotal DOUBLE, Discount DOUBLE, TaxRate DOUBLE, Taxable BOOLEAN, Email VARCHAR)");
        using var appender = connection.CreateAppender("transactions");
        for (long id = 0; id < Rows; id++)
        {
            var t = Transaction(id);
            appender.CreateRow().AppendValue(t.Id).AppendValue(t.Subtotal).AppendValue(t.Discount).AppendValue(t.TaxRate)
                .AppendValue(t.Taxable).AppendValue(t.Email).EndRow();
        }

        return connection;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async IAsyncEnumerable<RecordBatch> Query(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await foreach (var batch in command.ExecuteArrowBatchesAsync(CancellationToken.None)) yield return batch;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("dsl-recipes-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

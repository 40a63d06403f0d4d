using Apache.Arrow;
using Dsl.Cli.Tests.Support;
using Dsl.Engine.Offline;

namespace Dsl.Cli.Tests.Commands;

/// <summary>
/// Crash safety of the offline store: a <c>dsl ingest</c> process killed mid-write leaves the values appended before it intact,
/// every complete file readable, and only temporary files behind, which the next open deletes.
/// </summary>
public sealed class IngestCrashTests
{
    private static readonly DateTime Base = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public async Task A_writer_killed_mid_ingest_leaves_earlier_data_intact()
    {
        using var temp = new TempDirectory();
        var store = temp.File("store");
        ArrowFiles.Write(temp.File("first.parquet"), ("user_id", ArrowFiles.Longs(1, 2)), ("ts", ArrowFiles.Times(Base, Base)), ("total_spend", ArrowFiles.Doubles(1.5, -0.0)));
        Assert.That(DslTool.Run("ingest", temp.File("first.parquet"), "--store", store, "--entity", "user").ExitCode, Is.EqualTo(0));

        // Many days, so the killed ingest writes file after file.
        const int rows = 400_000;
        ArrowFiles.Write(temp.File("big.parquet"), ("user_id", ArrowFiles.Longs([.. Enumerable.Range(0, rows).Select(i => (long?)(i % 1000))])),
            ("ts", ArrowFiles.Times([.. Enumerable.Range(0, rows).Select(i => Base.AddMinutes(i * 7))])),
            ("total_spend", ArrowFiles.Doubles([.. Enumerable.Range(0, rows).Select(i => (double?)i)])));
        var day = Path.Combine(store, "User", "TotalSpend");
        // Kill it once it has renamed a few of its files into place (it is mid-append then), or after 20 s at most.
        var killed = await DslTool.RunAndKillWhenAsync(["ingest", temp.File("big.parquet"), "--store", store, "--entity", "user"],
            () => Task.FromResult(Directory.GetFiles(day, "*.parquet", SearchOption.AllDirectories).Length >= 6), TimeSpan.FromSeconds(20));

        Assert.That(killed, Is.True, "the ingest finished before it could be killed mid-write");
        await using var reopened = ParquetOfflineStore.Open(store);
        Assert.That(Directory.GetFiles(store, "*.tmp", SearchOption.AllDirectories), Is.Empty, "temporary files are deleted on open");
        var values = new Dictionary<long, (long Key, double? Value)>();
        await foreach (var batch in reopened.ReadAsync("User", "TotalSpend"))
        {
            var keys = (Int64Array)batch.Column(OfflineColumns.Key);
            var amounts = (DoubleArray)batch.Column(OfflineColumns.Value);
            var sequence = (Int64Array)batch.Column(OfflineColumns.WriteSequence);
            for (var i = 0; i < batch.Length; i++) values[sequence.GetValue(i)!.Value] = (keys.GetValue(i)!.Value, amounts.GetValue(i));
        }
        Assert.That(values.Count, Is.GreaterThan(2).And.LessThan(rows + 2), "some, not all, of the killed ingest's rows are there");
        Assert.That(values[0], Is.EqualTo((1L, (double?)1.5)));
        Assert.That(BitConverter.DoubleToInt64Bits(values[1].Value!.Value), Is.EqualTo(BitConverter.DoubleToInt64Bits(-0.0)));
        // Every row of the killed ingest that is there is whole: its value is its row number (sequence − 2).
        Assert.That(values.Where(v => v.Key >= 2).All(v => v.Value.Value == v.Key - 2 && v.Value.Key == (v.Key - 2) % 1000), Is.True);
        await reopened.AppendAsync([new OfflineWrite("User", 3L, "TotalSpend", 9.0, typeof(double), Base)]);
    }
}

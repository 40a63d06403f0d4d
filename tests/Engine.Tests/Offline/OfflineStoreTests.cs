using Apache.Arrow;
using Dsl.Engine.Offline;
using Dsl.Engine.Values;

namespace Dsl.Engine.Tests.Offline;

/// <summary>The Parquet offline store: its layout, its schema rules, and what a crash mid-write leaves.</summary>
public sealed class OfflineStoreTests
{
    private static readonly DateTime Base = OfflineShop.Base;

    [Test]
    public async Task Values_are_day_partitioned_parquet_files_that_read_back_with_their_times_and_sequence()
    {
        await using var shop = OfflineShop.Create([], []);
        await shop.Store.AppendAsync([
            new OfflineWrite("User", 1L, "TotalSpend", 1.5, typeof(double), Base, Base.AddSeconds(1)),
            new OfflineWrite("User", 2L, "TotalSpend", null, typeof(double), Base.AddDays(1), Base.AddSeconds(2)),
        ]);
        var files = Directory.GetFiles(Path.Combine(shop.Directory, "User", "TotalSpend"), "*.parquet", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(shop.Directory, f).Replace('\\', '/')).Order().ToList();
        Assert.That(files, Is.EqualTo(new[] { "User/TotalSpend/day=2026-06-30/part-0000000000000000000-1.parquet", "User/TotalSpend/day=2026-07-01/part-0000000000000000001-1.parquet" }));
        var rows = await ReadAll(shop.Store);
        Assert.That(rows, Is.EqualTo(new[] { (1L, (object?)1.5, Base, Base.AddSeconds(1), 0L), (2L, null, Base.AddDays(1), Base.AddSeconds(2), 1L) }));
        Assert.That(shop.Store.Features("User"), Is.EqualTo(new[] { "TotalSpend" }));
    }

    [Test]
    public async Task A_crash_mid_write_leaves_earlier_data_intact_and_its_temporary_file_is_removed()
    {
        await using var shop = OfflineShop.Create([], []);
        await shop.Store.AppendAsync([new OfflineWrite("User", 1L, "TotalSpend", 1.0, typeof(double), Base)]);
        // What a writer killed mid-batch leaves: a partial file under the temporary name.
        var day = Path.Combine(shop.Directory, "User", "TotalSpend", "day=2026-06-30");
        var abandoned = Path.Combine(day, ".part-0000000000000000001-5.parquet.tmp");
        await File.WriteAllBytesAsync(abandoned, [0x50, 0x41, 0x52, 0x31, 1, 2, 3]);
        var before = await ReadAll(shop.Store);

        await using var reopened = ParquetOfflineStore.Open(shop.Directory);
        Assert.That(File.Exists(abandoned), Is.False);
        Assert.That(await ReadAll(reopened), Is.EqualTo(before));
        await reopened.AppendAsync([new OfflineWrite("User", 1L, "TotalSpend", 2.0, typeof(double), Base)]);
        Assert.That((await ReadAll(reopened)).Select(r => r.Sequence), Is.EqualTo(new[] { 0L, 1L }), "sequence numbers continue after the last complete file");
    }

    [Test]
    public async Task A_feature_keeps_one_value_type()
    {
        await using var shop = OfflineShop.Create([], []);
        await shop.Store.AppendAsync([new OfflineWrite("User", 1L, "TotalSpend", 1.0, typeof(double), Base)]);
        var error = Assert.ThrowsAsync<ArgumentException>(() => shop.Store.AppendAsync([new OfflineWrite("User", 1L, "TotalSpend", 1L, typeof(long), Base)]));
        Assert.That(error!.Message, Does.Contain("value column of User.TotalSpend is int64").And.Contain("double"));
    }

    private static async Task<List<(long Key, object? Value, DateTime FeatureTime, DateTime WriteTime, long Sequence)>> ReadAll(IOfflineStore store)
    {
        var rows = new List<(long, object?, DateTime, DateTime, long)>();
        await foreach (var batch in store.ReadAsync("User", "TotalSpend"))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add(((long)ArrowCells.Read(batch.Column(OfflineColumns.Key), i)!, ArrowCells.Read(batch.Column(OfflineColumns.Value), i),
                    (DateTime)ArrowCells.Read(batch.Column(OfflineColumns.FeatureTime), i)!, (DateTime)ArrowCells.Read(batch.Column(OfflineColumns.WriteTime), i)!,
                    (long)ArrowCells.Read(batch.Column(OfflineColumns.WriteSequence), i)!));
            }
        }
        return [.. rows.OrderBy(r => r.Item5)];
    }
}

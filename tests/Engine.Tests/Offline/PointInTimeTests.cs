using Dsl.Engine.Offline;
using Dsl.Engine.Values;

namespace Dsl.Engine.Tests.Offline;

/// <summary>
/// Point-in-time properties of stored values on generated writes and spines: no value has a feature time after its spine row's
/// time; among equal feature times the latest write time wins, then the latest appended; a time to live nulls values older than
/// it and keeps those exactly as old. Checked against a brute-force reading of the same writes.
/// </summary>
public sealed class PointInTimeTests
{
    private static readonly DateTime Base = OfflineShop.Base;

    [Test]
    public async Task Stored_values_are_the_latest_at_or_before_each_row_by_the_tie_rule([Range(0, 29)] int seed)
    {
        var random = new Random(seed);
        var writes = new List<(long Key, DateTime FeatureTime, DateTime WriteTime, double Value)>();
        await using var shop = OfflineShop.Create([], []);
        var engine = shop.Engine(offline: true);
        for (var batch = random.Next(1, 5); batch > 0; batch--)
        {
            var rows = Enumerable.Range(0, random.Next(1, 12)).Select(_ => ((long)random.Next(1, 5), Base + TimeSpan.FromHours(random.Next(-30, 30)),
                Base + TimeSpan.FromMinutes(random.Next(0, 3)), (double)writes.Count + random.Next(1000) / 1000.0)).ToList();
            var offlineWrites = rows.Select(r => new OfflineWrite("User", r.Item1, "TotalSpend", r.Item4, typeof(double), r.Item2, r.Item3)).ToList();
            await shop.Store.AppendAsync(offlineWrites);
            writes.AddRange(rows);
        }
        var ttl = random.Next(3) == 0 ? (TimeSpan?)null : TimeSpan.FromHours(random.Next(0, 12));
        var spine = Enumerable.Range(0, 40).Select(_ => ((long)random.Next(0, 6), Base + TimeSpan.FromHours(random.Next(-35, 35)))).ToList();

        var result = await engine.OfflineQueryAsync(OfflineShop.Spine(spine), ["user.total_spend"], new OfflineQueryOptions { TimeToLive = ttl });
        for (var row = 0; row < spine.Count; row++)
        {
            var (key, time) = spine[row];
            // Appended order is list order: the last of the maximal (feature time, write time) wins.
            var visible = writes.Select((w, i) => (w, i)).Where(x => x.w.Key == key && x.w.FeatureTime <= time)
                .OrderBy(x => x.w.FeatureTime).ThenBy(x => x.w.WriteTime).ThenBy(x => x.i).Select(x => (double?)x.w.Value).LastOrDefault();
            var latest = writes.Where(w => w.Key == key && w.FeatureTime <= time).Select(w => w.FeatureTime).DefaultIfEmpty().Max();
            var expected = visible is not null && ttl is { } limit && time - latest > limit ? null : visible;
            Assert.That(ArrowCells.Read(result.Batch.Column("User.TotalSpend"), row), Is.EqualTo(expected), $"row {row}: user {key} at {time:O}, ttl {ttl}");
        }
    }

    [Test]
    public async Task A_value_at_exactly_the_row_time_is_visible_and_one_microsecond_later_is_not()
    {
        await using var shop = OfflineShop.Create([], []);
        await shop.Store.AppendAsync([
            new OfflineWrite("User", 1L, "TotalSpend", 1.0, typeof(double), Base),
            new OfflineWrite("User", 1L, "TotalSpend", 2.0, typeof(double), Base.AddTicks(10)),
        ]);
        var result = await shop.Engine(offline: true).OfflineQueryAsync(OfflineShop.Spine([(1, Base), (1, Base.AddTicks(10)), (1, Base.AddTicks(-10))]), ["user.total_spend"],
            new OfflineQueryOptions { TimeToLive = TimeSpan.FromTicks(10) });
        var column = result.Batch.Column("User.TotalSpend");
        Assert.That(new[] { ArrowCells.Read(column, 0), ArrowCells.Read(column, 1), ArrowCells.Read(column, 2) }, Is.EqualTo(new object?[] { 1.0, 2.0, null }));
    }

    [Test]
    public async Task The_time_to_live_keeps_a_value_exactly_as_old_and_nulls_an_older_one()
    {
        await using var shop = OfflineShop.Create([], []);
        await shop.Store.AppendAsync([new OfflineWrite("User", 1L, "TotalSpend", 7.0, typeof(double), Base)]);
        var spine = OfflineShop.Spine([(1, Base.AddHours(1)), (1, Base.AddHours(1).AddTicks(10))]);
        var result = await shop.Engine(offline: true).OfflineQueryAsync(spine, ["user.total_spend"],
            new OfflineQueryOptions { TimeToLivePerFeature = new Dictionary<string, TimeSpan> { ["user.total_spend"] = TimeSpan.FromHours(1) } });
        Assert.That(ArrowCells.Read(result.Batch.Column("User.TotalSpend"), 0), Is.EqualTo(7.0));
        Assert.That(ArrowCells.Read(result.Batch.Column("User.TotalSpend"), 1), Is.Null);
    }

    [Test]
    public async Task Small_partitions_give_the_same_answer_as_one()
    {
        var random = new Random(5);
        await using var shop = OfflineShop.Create([], []);
        await shop.Store.AppendAsync([.. Enumerable.Range(0, 300).Select(i => new OfflineWrite("User", (long)random.Next(50), "TotalSpend", (double)i, typeof(double),
            Base + TimeSpan.FromMinutes(random.Next(-500, 500))))]);
        var spine = OfflineShop.Spine([.. Enumerable.Range(0, 200).Select(_ => ((long)random.Next(55), Base + TimeSpan.FromMinutes(random.Next(-600, 600))))]);
        var engine = shop.Engine(offline: true);
        var whole = await engine.OfflineQueryAsync(spine, ["user.total_spend"]);
        var parts = await engine.OfflineQueryAsync(spine, ["user.total_spend"], new OfflineQueryOptions { PartitionRows = 16 });
        var a = whole.Batch.Column("User.TotalSpend");
        var b = parts.Batch.Column("User.TotalSpend");
        Assert.That(Enumerable.Range(0, 200).Select(i => ArrowCells.Read(b, i)), Is.EqualTo(Enumerable.Range(0, 200).Select(i => ArrowCells.Read(a, i))));
        Assert.That(a.NullCount, Is.LessThan(200));
    }
}

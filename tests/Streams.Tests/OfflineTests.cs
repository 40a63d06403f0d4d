using Apache.Arrow;
using Dsl.Engine.Offline;
using Dsl.Streams.Definition;
using Dsl.Streams.Samples;

namespace Dsl.Streams.Tests;

public sealed class OfflineTests
{
    [Test]
    public async Task Streamed_features_are_appended_to_the_offline_store_at_the_message_time_unless_skipped()
    {
        var directory = Directory.CreateTempSubdirectory("dsl-stream-offline-").FullName;
        await using var offline = ParquetOfflineStore.Open(directory);
        var lines = Enumerable.Range(0, 50).Select(i => SampleStream.EnvelopeLine(i, Streams.Now.AddMinutes(-i), customers: 1000));
        var counters = await Streams.ReplayAsync(SampleStream.Resolver(), Streams.File(lines), Streams.Targets(null) with { Offline = offline });
        Assert.That(counters.Written, Is.EqualTo(50));
        Assert.That(offline.Features("Customer"), Is.EquivalentTo(new[] { "FullName", "Email", "EmailDomain", "UpdatedHour", "Score" }));

        var rows = new List<(long Key, string Email, DateTime Time)>();
        await foreach (var batch in offline.ReadAsync("Customer", "Email"))
        {
            var times = (TimestampArray)batch.Column(OfflineColumns.FeatureTime);
            for (var r = 0; r < batch.Length; r++)
                rows.Add((((Int64Array)batch.Column(OfflineColumns.Key)).GetValue(r)!.Value, ((StringArray)batch.Column(OfflineColumns.Value)).GetString(r), times.GetTimestamp(r)!.Value.UtcDateTime));
        }
        Assert.That(rows, Has.Count.EqualTo(50));
        Assert.That(rows.Single(r => r.Key == 8), Is.EqualTo((8L, "c8@Example1.com", Streams.Now.AddMinutes(-7))));

        var skipping = StreamResolver.For<CustomerMessage>("skips_offline", "customers").Output((Customer c) => c.Id, m => m.Id).Output((Customer c) => c.Score, m => m.Amount).SkipOffline().Build();
        await Streams.ReplayAsync(skipping, Streams.File(lines), Streams.Targets(null) with { Offline = offline });
        Assert.That(offline.Features("Customer"), Does.Not.Contain("Id"));
        var scores = 0;
        await foreach (var batch in offline.ReadAsync("Customer", "Score")) scores += batch.Length;
        Assert.That(scores, Is.EqualTo(50), "the skipping resolver appended nothing");
    }
}

using Apache.Arrow.Ipc;
using Dsl.Engine.Store;
using Dsl.Streams.Definition;
using Dsl.Streams.Processing;
using Dsl.Streams.Samples;
using Dsl.Streams.Sinks;
using Dsl.Streams.Sources;
using Dsl.TestSupport.Servers;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Dsl.Streams.Tests;

public sealed class NatsTests
{
    private static readonly StreamRunOptions s_untilIdle = new() { BatchSize = 256, StopWhenIdle = TimeSpan.FromSeconds(1.5) };

    private static string Subject() => $"customers.{Guid.NewGuid():N}";

    /// <summary>Publishes sample messages <paramref name="from"/>…<paramref name="to"/> (exclusive) with the sample header, awaiting each acknowledgement in windows.</summary>
    private static async Task PublishAsync(string url, string subject, int from, int to, int customers = 200, Func<int, string>? type = null)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        var js = new NatsJSContext(connection);
        await NatsStreams.FindOrCreateAsync(js, subject);
        for (var start = from; start < to; start += 500)
        {
            var window = Enumerable.Range(start, Math.Min(500, to - start)).Select(i => js.PublishAsync(subject, System.Text.Encoding.UTF8.GetBytes(SampleStream.Json(i, customers)),
                headers: new NatsHeaders { ["X-MessageType"] = type?.Invoke(i) ?? "Customer" }).AsTask()).ToList();
            foreach (var ack in await Task.WhenAll(window)) ack.EnsureSuccess();
        }
    }

    private static Task<NatsJetStreamSource> OpenAsync(string url, string subject, string durable, double ackWaitSeconds = 30) =>
        NatsJetStreamSource.OpenAsync(new NatsSourceOptions { Url = url, Subject = subject, Durable = durable, AckWait = TimeSpan.FromSeconds(ackWaitSeconds) });

    [Test, CancelAfter(60_000)]
    public async Task NATS_and_replay_give_identical_results_in_the_online_store()
    {
        var subject = Subject();
        await PublishAsync(Streams.Nats.Url, subject, 0, 1000, type: i => i % 7 == 0 ? "Order" : "Customer");
        await using var fromNats = await RedisOnlineStore.StartEmbeddedAsync();
        await using (var source = await OpenAsync(Streams.Nats.Url, subject, "identical"))
        {
            var counters = await StreamRunner.RunAsync(SampleStream.Resolver(), source, Streams.Targets(fromNats), s_untilIdle);
            Assert.That((counters.Messages, counters.Filtered, counters.Written), Is.EqualTo((1000L, 143L, 857L)));
        }

        await using var fromReplay = await RedisOnlineStore.StartEmbeddedAsync();
        var lines = Enumerable.Range(0, 1000).Select(i => i % 7 == 0 ? "{\"headers\":{\"X-MessageType\":\"Order\"},\"data\":{}}" : SampleStream.EnvelopeLine(i, Streams.Now, 200));
        await Streams.ReplayAsync(SampleStream.Resolver(), Streams.File(lines), Streams.Targets(fromReplay), batchSize: 100);

        var nats = await Streams.SampleValuesAsync(fromNats, 200);
        var replay = await Streams.SampleValuesAsync(fromReplay, 200);
        Assert.That(nats, Has.None.Null);
        Assert.That(nats, Is.EqualTo(replay));

        // An online query reads what NATS wrote. The values carry their JetStream timestamps (the broker's clock), so the query
        // runs on the clock; as of the sample time, months earlier, they were not yet written and the store does not answer.
        // Customer 7 was last written by message 806 (806 % 200 + 1 = 7; of 6, 206, 406, 606 and 806, only 406 is an Order).
        var online = await Streams.QueryCustomerAsync(fromNats, 7, now: null);
        Assert.That(online.Errors, Is.Empty);
        Assert.That(online.Metadata.CacheHits, Is.EqualTo(5));
        Assert.That(online["Customer.FullName"], Is.EqualTo("Customer 7"));
        Assert.That(online["Customer.Email"], Is.EqualTo("c7@Example0.com"));
        Assert.That(online["Customer.EmailDomain"], Is.EqualTo("example0.com"));
        Assert.That(online["Customer.Score"], Is.EqualTo(806 / 4.0 * 1.5 + 10));
        var asOfTheSampleTime = await Streams.QueryCustomerAsync(fromNats, 7, Streams.Now);
        Assert.That(asOfTheSampleTime.Metadata.CacheHits, Is.Zero);
        Assert.That(asOfTheSampleTime["Customer.FullName"], Is.Null);
    }

    [TestCase(SinkFormat.Json), TestCase(SinkFormat.ArrowIpc), CancelAfter(60_000)]
    public async Task The_sink_forwards_the_chosen_features_and_they_read_back(SinkFormat format)
    {
        var subject = Subject();
        var output = subject + ".out";
        var resolver = StreamResolver.For<CustomerMessage>("sinking", "customers")
            .Output((Customer c) => c.Id, m => m.Id)
            .Output((Customer c) => c.Email, m => m.ContactInfo.EmailAddress)
            .Output((Customer c) => c.Score, m => m.Amount * 2)
            .Sink(output, format, "Id", "Email")
            .SkipOnline()
            .Build();
        await PublishAsync(Streams.Nats.Url, subject, 0, 300);
        await using var connection = new NatsConnection(new NatsOpts { Url = Streams.Nats.Url });
        var received = new List<byte[]>();
        var subscription = await connection.SubscribeCoreAsync<byte[]>(output);
        var collecting = Task.Run(async () =>
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync()) received.Add(message.Data!);
        });
        await connection.PingAsync();
        await using (var source = await OpenAsync(Streams.Nats.Url, subject, "sink"))
        {
            var counters = await StreamRunner.RunAsync(resolver, source, Streams.Targets(null) with { Publisher = new NatsPublisher(connection) }, s_untilIdle);
            Assert.That(counters.Written, Is.EqualTo(300));
        }
        await connection.PingAsync();
        await subscription.UnsubscribeAsync();
        await collecting;

        var rows = new List<(long Id, string Email)>();
        foreach (var message in received)
        {
            if (format == SinkFormat.Json)
            {
                using var json = System.Text.Json.JsonDocument.Parse(message);
                Assert.That(json.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "customer.id", "customer.email" }));
                rows.Add((json.RootElement.GetProperty("customer.id").GetInt64(), json.RootElement.GetProperty("customer.email").GetString()!));
                continue;
            }
            using var reader = new ArrowStreamReader(new MemoryStream(message));
            using var batch = reader.ReadNextRecordBatch();
            Assert.That(batch.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "customer.id", "customer.email" }));
            for (var r = 0; r < batch.Length; r++)
                rows.Add((((Apache.Arrow.Int64Array)batch.Column(0)).GetValue(r)!.Value, ((Apache.Arrow.StringArray)batch.Column(1)).GetString(r)));
        }
        Assert.That(rows, Has.Count.EqualTo(300));
        Assert.That(rows[17], Is.EqualTo((18L, "c18@Example4.com")));
    }

    [Test, CancelAfter(90_000)]
    public async Task A_consumer_stopped_mid_stream_and_restarted_loses_nothing_and_with_deduplication_counts_nothing_twice()
    {
        var subject = Subject();
        await PublishAsync(Streams.Nats.Url, subject, 0, 2000, customers: 1_000_000);
        await using var store = await RedisOnlineStore.StartEmbeddedAsync();
        var resolver = SampleStream.Resolver(deduplicate: true);
        var counters = new StreamCounters();
        var targets = Streams.Targets(store);

        // The first consumer processes 700 messages, then processes one more batch and dies before acknowledging it.
        await using (var first = await OpenAsync(Streams.Nats.Url, subject, "restarted", ackWaitSeconds: 1))
        {
            await StreamRunner.RunAsync(resolver, first, targets, new StreamRunOptions { BatchSize = 100, MaxMessages = 700 }, counters);
            var unacknowledged = new MessageBatch();
            while (unacknowledged.Count == 0) await first.ReadAsync(unacknowledged, 100, TimeSpan.FromSeconds(1), CancellationToken.None);
            await new StreamProcessor(resolver, targets, counters).ProcessAsync(unacknowledged);
        }

        await using (var second = await OpenAsync(Streams.Nats.Url, subject, "restarted", ackWaitSeconds: 1))
            await StreamRunner.RunAsync(resolver, second, targets, s_untilIdle with { StopWhenIdle = TimeSpan.FromSeconds(3) }, counters);

        Assert.That(counters.Written, Is.EqualTo(2000), "each message's effect once");
        Assert.That(counters.Duplicates, Is.GreaterThan(0), "the unacknowledged batch was delivered again");
        var ids = await store.GetAsync(Enumerable.Range(1, 2000).Select(id => FeatureKey.For("Customer", (long)id, "Email")).ToList());
        Assert.That(ids, Has.None.Null, "every message's features are present");
    }

    [Test, CancelAfter(90_000)]
    public async Task The_broker_restarted_mid_stream_the_consumer_reconnects_and_continues_without_loss()
    {
        using var nats = NatsServer.Start();
        var subject = Subject();
        await PublishAsync(nats.Url, subject, 0, 1000, customers: 1_000_000);
        await using var store = await RedisOnlineStore.StartEmbeddedAsync();
        var counters = new StreamCounters();
        await using var source = await OpenAsync(nats.Url, subject, "survivor", ackWaitSeconds: 2);
        using var stop = new CancellationTokenSource();
        var running = StreamRunner.RunAsync(SampleStream.Resolver(deduplicate: true), source, Streams.Targets(store),
            new StreamRunOptions { BatchSize = 100, MaxMessages = 1_000_000 }, counters, stop.Token);

        Assert.That(LocalPorts.WaitUntil(() => counters.Written >= 300, TimeSpan.FromSeconds(20)), Is.True);
        nats.Stop();
        await Task.Delay(500);
        nats.Resume();
        await PublishAsync(nats.Url, subject, 1000, 2000, customers: 1_000_000);
        Assert.That(LocalPorts.WaitUntil(() => counters.Written >= 2000, TimeSpan.FromSeconds(45)), Is.True, $"written {counters.Written}");
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
        var emails = await store.GetAsync(Enumerable.Range(1, 2000).Select(id => FeatureKey.For("Customer", (long)id, "Email")).ToList());
        Assert.That(emails, Has.None.Null);
        Assert.That(counters.Written, Is.EqualTo(2000));
    }
}

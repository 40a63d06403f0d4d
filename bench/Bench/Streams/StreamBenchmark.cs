using System.Diagnostics;
using System.Globalization;
using Dsl.Engine.Store;
using Dsl.Streams;
using Dsl.Streams.Processing;
using Dsl.Streams.Samples;
using Dsl.Streams.Sources;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Dsl.Bench.Streams;

/// <summary>
/// <c>stream [--messages N] [--runs R] [--workloads replay,garnet,garnet-dedup,nats] [--nats URL]</c>: the sample stream resolver
/// (~150-byte JSON messages with a nested record, 5 features and the key, header filter on) on one thread:
/// <list type="bullet">
/// <item><c>replay</c>: from a replay file (in the page cache after the first run), results discarded, deduplication off;</item>
/// <item><c>garnet</c>: the same, results written to Garnet in process; <c>garnet-dedup</c>: and deduplication on;</item>
/// <item><c>nats</c>: end to end through NATS JetStream (a running <c>nats-server -js</c> at <c>--nats</c>), next to the broker's
/// own consume rate (a durable consumer acknowledging each message, nothing else) measured in the same run.</item>
/// </list>
/// Prints messages/s per workload (the median of the runs after one warm-up).
/// </summary>
internal static class StreamBenchmark
{
    // Built (and compiled) once: the timed runs measure streaming, not compilation.
    private static readonly Lazy<Dsl.Streams.Definition.StreamResolver> s_plain = new(() => SampleStream.Resolver());
    private static readonly Lazy<Dsl.Streams.Definition.StreamResolver> s_deduplicating = new(() => SampleStream.Resolver(deduplicate: true));

    public static int Run(string[] args)
    {
        var messages = 1_000_000L;
        var runs = 5;
        var workloads = "replay,garnet,garnet-dedup";
        string? nats = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--messages": messages = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--workloads": workloads = args[i + 1]; break;
                case "--nats": nats = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var file = Path.Combine(Path.GetTempPath(), $"dsl-stream-bench-{messages}.jsonl");
        if (!File.Exists(file)) SampleStream.WriteReplayFile(file, messages, DateTime.UtcNow, customers: 100_000);
        Console.WriteLine($"stream benchmark: {messages:N0} messages of ~{SampleStream.Json(12345, 100_000).Length} bytes, 1 thread, {runs} runs after a warm-up (median)");
        foreach (var workload in workloads.Split(','))
        {
            var rate = workload switch
            {
                "replay" => Median(runs, () => ReplayAsync(file, garnet: false, deduplicate: false)),
                "garnet" => Median(runs, () => ReplayAsync(file, garnet: true, deduplicate: false)),
                "garnet-dedup" => Median(runs, () => ReplayAsync(file, garnet: true, deduplicate: true)),
                "nats" => NatsAsync(nats ?? throw new ArgumentException("--nats URL is required for the nats workload"), Math.Min(messages, 200_000)).GetAwaiter().GetResult(),
                _ => throw new ArgumentException($"unknown workload {workload}"),
            };
            Console.WriteLine($"{workload,-14} {rate}");
        }
        return 0;
    }

    private static string Median(int runs, Func<Task<double>> run)
    {
        run().GetAwaiter().GetResult();
        var rates = Enumerable.Range(0, runs).Select(_ => run().GetAwaiter().GetResult()).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{rates[rates.Count / 2]:N0} msgs/s (min {rates[0]:N0}, max {rates[^1]:N0})");
    }

    /// <summary>
    /// Messages/s of the sample resolver over the replay file, optionally writing to a Garnet started for the run (outside the
    /// timing), so deduplication starts from an empty store each run.
    /// </summary>
    private static async Task<double> ReplayAsync(string file, bool garnet, bool deduplicate)
    {
        await using var store = garnet ? await RedisOnlineStore.StartEmbeddedAsync(new RedisStoreOptions { Timeout = TimeSpan.FromSeconds(30) }) : null;
        var resolver = deduplicate ? s_deduplicating.Value : s_plain.Value;
        await using var source = new ReplaySource(file);
        var clock = Stopwatch.StartNew();
        var counters = await StreamRunner.RunAsync(resolver, source, new StreamTargets { Online = store });
        clock.Stop();
        if (counters.Errors > 0) throw new InvalidOperationException($"{counters.Errors} errors: {counters.FirstErrors[0].Reason}");
        return counters.Messages / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Publishes <paramref name="messages"/> to a fresh stream, then times the broker's own consume (ack only) and the resolver end to end.</summary>
    private static async Task<string> NatsAsync(string url, long messages)
    {
        var subject = $"bench.customers.{Guid.NewGuid():N}";
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        var js = new NatsJSContext(connection);
        var stream = await NatsStreams.FindOrCreateAsync(js, subject);
        var payloads = Enumerable.Range(0, 1000).Select(i => System.Text.Encoding.UTF8.GetBytes(SampleStream.Json(i, 100_000))).ToArray();
        for (var start = 0L; start < messages; start += 1000)
        {
            var window = Enumerable.Range(0, (int)Math.Min(1000, messages - start)).Select(i => js.PublishAsync(subject, payloads[i], headers: new NatsHeaders { ["X-MessageType"] = "Customer" }).AsTask());
            foreach (var ack in await Task.WhenAll(window)) ack.EnsureSuccess();
        }

        var broker = Stopwatch.StartNew();
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("broker-only") { AckPolicy = ConsumerConfigAckPolicy.Explicit, FilterSubject = subject, MaxAckPending = 65_536 });
        var consumed = 0L;
        await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 4096 }))
        {
            await message.AckAsync();
            if (++consumed == messages) break;
        }
        broker.Stop();

        var resolver = Stopwatch.StartNew();
        await using var source = await NatsJetStreamSource.OpenAsync(new NatsSourceOptions { Url = url, Subject = subject, Stream = stream, Durable = "resolver" });
        var counters = await StreamRunner.RunAsync(s_plain.Value, source, new StreamTargets(), new StreamRunOptions { MaxMessages = messages });
        resolver.Stop();
        await js.DeleteStreamAsync(stream);
        return string.Create(CultureInfo.InvariantCulture,
            $"{counters.Messages / resolver.Elapsed.TotalSeconds:N0} msgs/s end to end; the broker's own consume: {messages / broker.Elapsed.TotalSeconds:N0} msgs/s ({messages:N0} messages)");
    }
}

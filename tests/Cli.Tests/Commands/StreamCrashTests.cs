using System.Text.RegularExpressions;
using Dsl.Cli.Tests.Support;
using Dsl.Engine.Store;
using Dsl.Streams.Samples;
using Dsl.TestSupport.Servers;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Dsl.Cli.Tests.Commands;

/// <summary>
/// At-least-once delivery with a real crash: a <c>dsl stream</c> process consuming NATS JetStream into a real Redis is killed
/// mid-stream and started again; every message's features are present afterwards, and with deduplication the restarted
/// consumer writes again at most the one batch the killed one wrote but did not acknowledge.
/// </summary>
public sealed partial class StreamCrashTests
{
    private const int Messages = 20_000;
    private const int Batch = 250;

    [Test, CancelAfter(180_000)]
    public async Task A_stream_process_killed_mid_stream_and_restarted_loses_nothing_and_redoes_at_most_one_batch()
    {
        using var directory = new TempDirectory();
        using var nats = NatsServer.Start();
        using var redis = RedisServer.Start();
        await PublishAsync(nats.Url, "customers.crash");
        var assembly = UserAssemblies.Compile(directory, """
            public static class Resolvers
            {
                public static Dsl.Streams.Definition.StreamResolver Customers => Dsl.Streams.Samples.SampleStream.Resolver(deduplicate: true);
            }
            """);
        string[] arguments = ["stream", "--assembly", assembly, "--source", $"{nats.Url}/customers.crash", "--redis", redis.Address, "--batch", $"{Batch}", "--ack-wait", "2"];
        await using var store = await RedisOnlineStore.ConnectAsync(redis.Address);
        var emails = Enumerable.Range(1, Messages).Select(id => FeatureKey.For("Customer", (long)id, "Email")).ToList();

        // Kill it once a quarter of the messages are written (it is mid-batch then, most likely), or after 60 s at most.
        var killed = await DslTool.RunAndKillWhenAsync(arguments, async () => (await store.GetAsync([emails[Messages / 4]]))[0] is not null, TimeSpan.FromSeconds(60));
        Assert.That(killed, Is.True, "the consumer finished before it could be killed");
        var writtenBeforeTheKill = (await store.GetAsync(emails)).Count(v => v is not null);
        Assert.That(writtenBeforeTheKill, Is.GreaterThanOrEqualTo(Messages / 4).And.LessThan(Messages));

        // The messages the killed consumer held but did not acknowledge arrive again after the ack wait (2 s), within the idle time.
        var second = DslTool.Run([.. arguments, "--idle", "6"]);
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        var summary = Summary().Match(second.Stdout);
        Assert.That(summary.Success, Is.True, second.ToString());
        var written = long.Parse(summary.Groups["written"].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);

        Assert.That((await store.GetAsync(emails)).Count(v => v is not null), Is.EqualTo(Messages), "every message's features are present");
        Assert.That(written, Is.InRange(Messages - writtenBeforeTheKill, Messages - writtenBeforeTheKill + Batch),
            "the restarted consumer writes what was not written, and again at most the batch written but not acknowledged");
    }

    private static async Task PublishAsync(string url, string subject)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        var js = new NatsJSContext(connection);
        await Dsl.Streams.Sources.NatsStreams.FindOrCreateAsync(js, subject);
        var headers = new NatsHeaders { ["X-MessageType"] = "Customer" };
        for (var start = 0; start < Messages; start += 1000)
        {
            var window = Enumerable.Range(start, 1000).Select(i => js.PublishAsync(subject, System.Text.Encoding.UTF8.GetBytes(SampleStream.Json(i, customers: 1_000_000)), headers: headers).AsTask()).ToList();
            foreach (var ack in await Task.WhenAll(window)) ack.EnsureSuccess();
        }
    }

    [GeneratedRegex(@"streamed [\d,]+ messages: (?<written>[\d,]+) written, 0 filtered, 0 parse-skipped, [\d,]+ duplicates, 0 late, 0 errors")]
    private static partial Regex Summary();
}

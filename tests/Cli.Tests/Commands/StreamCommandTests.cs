using Dsl.Cli.Tests.Support;
using Dsl.Engine.Store;
using Dsl.Streams.Samples;
using Dsl.TestSupport.Servers;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Dsl.Cli.Tests.Commands;

public sealed class StreamCommandTests
{
    private static readonly DateTime Time = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public async Task Stream_replays_a_file_into_the_online_store()
    {
        using var directory = new TempDirectory();
        using var redis = RedisServer.Start();
        var file = directory.File("customers.jsonl");
        File.WriteAllLines(file, Enumerable.Range(0, 300).Select(i => i == 7 ? "{\"headers\":{\"X-MessageType\":\"Customer\"},\"data\":{\"id\":true}}" : SampleStream.EnvelopeLine(i, Time, customers: 400)));

        var run = DslTool.Run("stream", "--replay", file, "--redis", redis.Address);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("streamed 300 messages: 299 written, 0 filtered, 0 parse-skipped, 0 duplicates, 0 late, 1 errors"));
        Assert.That(run.Stdout, Does.Contain("error at 8: Id is not a long"));

        await using var store = await RedisOnlineStore.ConnectAsync(redis.Address);
        var email = await store.GetAsync([FeatureKey.For("Customer", 42L, "Email"), FeatureKey.For("Customer", 8L, "Email")]);
        Assert.That(email[0]!.Value, Is.EqualTo("c42@Example0.com"));
        Assert.That(email[1], Is.Null, "message 7 (customer 8) was an error");
    }

    [Test]
    public void Check_prints_the_verdicts_and_the_first_errors_and_writes_nothing()
    {
        using var directory = new TempDirectory();
        var file = directory.File("customers.jsonl");
        File.WriteAllLines(file, Enumerable.Range(0, 50).Select(i => i % 10 == 4 ? "{\"headers\":{\"X-MessageType\":\"Customer\"},\"data\":{\"id\":1}}" : SampleStream.EnvelopeLine(i, Time)));
        var run = DslTool.Run("stream", "--replay", file, "--check", "--sample", "20");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("stream resolver 'customers': CustomerMessage -> Customer"));
        Assert.That(run.Stdout, Does.Contain("Score: compiled"));
        Assert.That(run.Stdout, Does.Contain("checked 20 messages: 18 written"));
        Assert.That(run.Stdout, Does.Contain("error at 5: Name is missing"));
    }

    [Test, CancelAfter(120_000)]
    public async Task Stream_consumes_NATS_JetStream_with_a_progress_line()
    {
        using var nats = NatsServer.Start();
        using var redis = RedisServer.Start();
        await using (var connection = new NatsConnection(new NatsOpts { Url = nats.Url }))
        {
            var js = new NatsJSContext(connection);
            await Dsl.Streams.Sources.NatsStreams.FindOrCreateAsync(js, "customers.updates");
            for (var i = 0; i < 500; i++)
                (await js.PublishAsync("customers.updates", System.Text.Encoding.UTF8.GetBytes(SampleStream.Json(i)), headers: new NatsHeaders { ["X-MessageType"] = i < 450 ? "Customer" : "Order" })).EnsureSuccess();
        }
        var run = DslTool.Run("stream", "--source", $"{nats.Url}/customers.updates", "--redis", redis.Address, "--idle", "2");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("streamed 500 messages: 450 written, 50 filtered"));
        Assert.That(run.Stderr, Does.Contain("msgs (").And.Contain("lag"));
        await using var store = await RedisOnlineStore.ConnectAsync(redis.Address);
        Assert.That((await store.GetAsync([FeatureKey.For("Customer", 450L, "FullName")]))[0]!.Value, Is.EqualTo("Customer 450"));
    }

    [Test]
    public void Stream_without_a_source_or_with_both_is_bad_input()
    {
        var run = DslTool.Run("stream");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("give exactly one of --source"));
        var bad = DslTool.Run("stream", "--source", "http://example/x");
        Assert.That(bad.Stderr, Does.Contain("is not nats://HOST:PORT/SUBJECT"));
    }
}

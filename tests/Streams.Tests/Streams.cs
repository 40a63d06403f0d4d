using Dsl.Engine;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Store;
using Dsl.Streams.Processing;
using Dsl.Streams.Samples;
using Dsl.Streams.Sources;
using Dsl.TestSupport.Servers;

namespace Dsl.Streams.Tests;

/// <summary>Shared helpers: replay files, the online values a run wrote, and the NATS server the tests share.</summary>
[SetUpFixture]
public sealed class Streams
{
    private static readonly Lazy<NatsServer> s_nats = new(NatsServer.Start);

    /// <summary>The shared nats-server (tests that restart a server start their own).</summary>
    public static NatsServer Nats => s_nats.Value;

    /// <summary>A time the sample messages are stamped with (a minute before the run's clock).</summary>
    public static readonly DateTime Now = new(2026, 7, 1, 12, 0, 0, DateTimeKind.Utc);

    [OneTimeTearDown]
    public void StopServers()
    {
        if (s_nats.IsValueCreated) s_nats.Value.Dispose();
    }

    /// <summary>A temporary file with <paramref name="lines"/>.</summary>
    public static string File(IEnumerable<string> lines)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"replay-{Guid.NewGuid():N}.jsonl");
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Targets writing to <paramref name="store"/>, with the tests' clock.</summary>
    public static StreamTargets Targets(IOnlineStore? store) => new() { Online = store, Clock = () => Now };

    /// <summary>Replays <paramref name="path"/> through <paramref name="resolver"/>.</summary>
    public static async Task<StreamCounters> ReplayAsync(Definition.StreamResolver resolver, string path, StreamTargets targets, int batchSize = 4096)
    {
        await using var source = new ReplaySource(path);
        return await StreamRunner.RunAsync(resolver, source, targets, new StreamRunOptions { BatchSize = batchSize });
    }

    /// <summary>Every output of the sample resolver for customers 1…<paramref name="customers"/> in <paramref name="store"/>.</summary>
    public static async Task<List<object?>> SampleValuesAsync(IOnlineStore store, int customers)
    {
        var keys = Enumerable.Range(1, customers).SelectMany(id => SampleStream.Resolver().Outputs.Select(o => FeatureKey.For(nameof(Customer), (long)id, o.Feature))).ToList();
        var values = await store.GetAsync(keys);
        return values.Select(v => v?.Value).ToList();
    }

    /// <summary>
    /// An online query for customer <paramref name="id"/>'s sample outputs through an engine over <paramref name="store"/>, whose only
    /// resolver returns nothing (so every value must come from what the stream wrote), as of <paramref name="now"/> (the clock when null).
    /// </summary>
    public static Task<QueryResult> QueryCustomerAsync(IOnlineStore store, long id, DateTime? now)
    {
        var engine = new FeatureEngineBuilder()
            .AddFeatureSet(new FeatureSet<Customer>(_ => { }))
            .AddResolver(CSharpResolver.Create<long, Customer>("customer_profile", "customer.id", ["FullName", "Email", "EmailDomain", "UpdatedHour", "Score"],
                (_, _) => Task.FromResult(Enumerable.Empty<Customer>())))
            .UseOnlineStore(store)
            .Build();
        return engine.QueryAsync(new Dictionary<string, object?> { ["customer.id"] = id },
            ["customer.full_name", "customer.email", "customer.email_domain", "customer.updated_hour", "customer.score"], new QueryOptions { Now = now });
    }
}

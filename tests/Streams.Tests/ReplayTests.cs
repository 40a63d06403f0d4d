using System.Text.Json;
using Dsl.Engine;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Store;
using Dsl.Runtime;
using Dsl.Streams.Definition;
using Dsl.Streams.Parsing;
using Dsl.Streams.Samples;
using Dsl.Streams.Sources;

namespace Dsl.Streams.Tests;

public sealed class ReplayTests
{
    private static readonly JsonSerializerOptions s_snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Test]
    public async Task Replayed_features_reach_the_online_store_and_an_online_query_returns_them()
    {
        await using var store = await RedisOnlineStore.StartEmbeddedAsync();
        var path = Streams.File(Enumerable.Range(0, 300).Select(i => SampleStream.EnvelopeLine(i, Streams.Now.AddMinutes(-1), customers: 200)));
        var counters = await Streams.ReplayAsync(SampleStream.Resolver(), path, Streams.Targets(store), batchSize: 64);
        Assert.That((counters.Messages, counters.Written, counters.Errors), Is.EqualTo((300L, 300L, 0L)));

        // Customer 7 was last written by message 206 (206 % 200 + 1 = 7).
        var result = await Streams.QueryCustomerAsync(store, 7, Streams.Now);
        Assert.That(result["Customer.FullName"], Is.EqualTo("Customer 7"));
        Assert.That(result["Customer.Email"], Is.EqualTo("c7@Example0.com"));
        Assert.That(result["Customer.EmailDomain"], Is.EqualTo("example0.com"));
        Assert.That(result["Customer.UpdatedHour"], Is.EqualTo(3));
        Assert.That(result["Customer.Score"], Is.EqualTo(206 / 4.0 * 1.5 + 10));
    }

    [Test]
    public void Compiled_and_row_by_row_paths_agree_on_the_message_columns()
    {
        var resolver = SampleStream.Resolver();
        var reader = new MessageColumnsReader(resolver);
        reader.Begin(500);
        for (var i = 0; i < 500; i++) Assert.That(reader.ReadJson(System.Text.Encoding.UTF8.GetBytes(SampleStream.Json(i))), Is.Null);
        using var batch = reader.Build();
        using var compiled = resolver.Plan.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Auto });
        using var rowByRow = resolver.Plan.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback });
        for (var c = 0; c < compiled.Output.ColumnCount; c++)
        {
            for (var r = 0; r < batch.Length; r++)
                Assert.That(Engine.Values.ArrowCells.Read(compiled.Output.Column(c), r), Is.EqualTo(Engine.Values.ArrowCells.Read(rowByRow.Output.Column(c), r)), $"{compiled.Output.Schema.GetFieldByIndex(c).Name} row {r}");
        }
    }

    [Test]
    public async Task Header_filters_drop_messages_before_parsing()
    {
        var lines = Enumerable.Range(0, 100).Select(i => i % 4 == 0
            ? $"{{\"headers\":{{\"X-MessageType\":\"Order\"}},\"data\":{{\"not\":\"a customer\"}}}}"
            : SampleStream.EnvelopeLine(i, Streams.Now));
        var counters = await Streams.ReplayAsync(SampleStream.Resolver(), Streams.File(lines), Streams.Targets(null));
        Assert.That((counters.Filtered, counters.Written, counters.Errors), Is.EqualTo((25L, 75L, 0L)));
    }

    [Test]
    public async Task Malformed_envelope_lines_become_error_records_with_their_line_and_reason()
    {
        string[] malformed =
        [
            "{\"headers\":{\"X-MessageType\":\"Customer\"},\"data\":",                               // truncated
            "{\"headers\":{\"X-MessageType\":\"Customer\"},\"time\":\"2026-06-30T12:00:00Z\"}",         // no data
            "{\"headers\":{\"X-MessageType\":\"Customer\"},\"time\":\"noon\",\"data\":{\"id\":1}}",     // time not a timestamp
            "[1,2,3]",                                                                                  // not an object
            "{\"headers\":{\"X-MessageType\":\"Customer\"},\"data\":{\"id\":1}} trailing",              // data not last
        ];
        var lines = new List<string>();
        for (var i = 0; i < 100; i++) lines.Add(i % 10 == 5 ? malformed[i / 10 % malformed.Length] : SampleStream.EnvelopeLine(i, Streams.Now));
        var counters = await Streams.ReplayAsync(SampleStream.Resolver(), Streams.File(lines), Streams.Targets(null), batchSize: 32);
        Assert.That((counters.Messages, counters.Filtered, counters.Written, counters.Errors), Is.EqualTo((100L, 0L, 90L, 10L)));
        Assert.That(counters.FirstErrors.Select(e => e.Position), Is.EqualTo(Enumerable.Range(0, 10).Select(k => 10L * k + 6)));
        var reasons = counters.FirstErrors.Select(e => e.Reason).ToList();
        Assert.That(reasons[0], Does.StartWith("the line is not a valid replay envelope: "));
        Assert.That(reasons[1], Is.EqualTo("the envelope has no \"data\""));
        Assert.That(reasons[2], Is.EqualTo("the envelope's time is not an ISO 8601 timestamp"));
        Assert.That(reasons[3], Does.StartWith("the line is not a replay envelope"));
        Assert.That(reasons[4], Does.StartWith("the envelope does not end with '}'"));
    }

    public sealed record ProfileUpdate(long Id, long UpdatedAtMicros);

    public sealed class Profile
    {
        [PrimaryKey]
        public long Id { get; set; }

        [MaxStaleness("infinite")]
        public DateTime UpdatedAt { get; set; }
    }

    [Test]
    public async Task Unix_microseconds_become_a_compiled_timestamp_feature_and_out_of_range_ones_error_records()
    {
        var resolver = StreamResolver.For<ProfileUpdate>("profiles", "profiles")
            .Output((Profile p) => p.Id, m => m.Id)
            .Output((Profile p) => p.UpdatedAt, m => F.FromUnixSeconds(m.UpdatedAtMicros / 1_000_000))
            .Build();
        Assert.That(resolver.Verdicts.Select(v => v.Mode), Has.All.EqualTo(ExecutionMode.Compiled), string.Join("; ", resolver.Verdicts.Select(v => v.Reason)));
        await using var store = await RedisOnlineStore.StartEmbeddedAsync();
        string[] lines = ["{\"id\":1,\"updated_at_micros\":1782777600123456}", "{\"id\":2,\"updated_at_micros\":-1000000}", "{\"id\":3,\"updated_at_micros\":9223372036854775807}"];
        var counters = await Streams.ReplayAsync(resolver, Streams.File(lines), Streams.Targets(store));
        Assert.That((counters.Written, counters.Errors), Is.EqualTo((2L, 1L)));
        Assert.That(counters.FirstErrors[0], Is.EqualTo(new Processing.StreamError(3, counters.FirstErrors[0].Reason)));
        Assert.That(counters.FirstErrors[0].Reason, Does.StartWith("feature UpdatedAt: System.ArgumentOutOfRangeException"));
        var values = await store.GetAsync([FeatureKey.For("Profile", 1L, "UpdatedAt"), FeatureKey.For("Profile", 2L, "UpdatedAt")]);
        Assert.That(values.Select(v => v!.Value), Is.EqualTo(new object[] { new DateTime(2026, 6, 30, 0, 0, 0, DateTimeKind.Utc), new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc) }));
    }

    [Test]
    public async Task A_parse_function_returning_null_skips_the_message()
    {
        var resolver = StreamResolver.For<CustomerMessage>("parsed", "customers")
            .Parse((string raw) => raw.StartsWith("skip:", StringComparison.Ordinal) ? null : JsonSerializer.Deserialize<CustomerMessage>(raw, s_snake))
            .Output((Customer c) => c.Id, m => m.Id)
            .Output((Customer c) => c.Email, m => m.ContactInfo.EmailAddress)
            .Build();
        await using var store = await RedisOnlineStore.StartEmbeddedAsync();
        var lines = Enumerable.Range(0, 50).Select(i => i % 5 == 0 ? "skip: heartbeat" : SampleStream.Json(i));
        var counters = await Streams.ReplayAsync(resolver, Streams.File(lines), Streams.Targets(store));
        Assert.That((counters.ParseSkipped, counters.Written, counters.Errors), Is.EqualTo((10L, 40L, 0L)));
        var email = await store.GetAsync([FeatureKey.For("Customer", 2L, "Email")]);
        Assert.That(email[0]!.Value, Is.EqualTo("c2@Example2.com"));
    }

    [Test]
    public async Task Messages_older_than_the_late_arrival_deadline_are_dropped_and_counted()
    {
        var resolver = StreamResolver.For<CustomerMessage>("late", "customers")
            .Output((Customer c) => c.Id, m => m.Id)
            .LateArrivalDeadline(TimeSpan.FromHours(1))
            .Build();
        var lines = Enumerable.Range(0, 40).Select(i => SampleStream.EnvelopeLine(i, Streams.Now.AddMinutes(i % 2 == 0 ? -30 : -61)));
        var counters = await Streams.ReplayAsync(resolver, Streams.File(lines), Streams.Targets(null));
        Assert.That((counters.Late, counters.Written), Is.EqualTo((20L, 20L)));
    }

    [Test]
    public async Task Deduplication_skips_keys_seen_within_the_window_across_batches_and_runs()
    {
        await using var store = await RedisOnlineStore.StartEmbeddedAsync();
        var path = Streams.File(Enumerable.Range(0, 400).Select(i => SampleStream.EnvelopeLine(i % 200, Streams.Now, customers: 1000)));
        var first = await Streams.ReplayAsync(SampleStream.Resolver(deduplicate: true), path, Streams.Targets(store), batchSize: 64);
        Assert.That((first.Written, first.Duplicates), Is.EqualTo((200L, 200L)));
        var again = await Streams.ReplayAsync(SampleStream.Resolver(deduplicate: true), path, Streams.Targets(store), batchSize: 64);
        Assert.That((again.Written, again.Duplicates), Is.EqualTo((0L, 400L)));
    }

    [Test]
    public async Task Hostile_messages_become_error_records_and_valid_ones_around_them_are_processed()
    {
        var resolver = StreamResolver.For<CustomerMessage>("hostile", "customers")
            .Output((Customer c) => c.Id, m => m.Id)
            .Output((Customer c) => c.Email, m => m.ContactInfo.EmailAddress)
            .Output((Customer c) => c.EmailDomain, m => F.SplitPart(m.ContactInfo.EmailAddress, "@", 1))
            .Build();
        var valid = SampleStream.Json(3);
        string[] hostile =
        [
            valid[..(valid.Length / 2)],                                                   // truncated
            "{\"id\":\"seven\",\"name\":\"x\",\"contact_info\":{\"email_address\":\"a@b\"},\"updated_at\":\"2026-01-01T00:00:00Z\",\"amount\":1}",
            "{\"id\":1,\"name\":\"x\",\"updated_at\":\"2026-01-01T00:00:00Z\",\"amount\":1}", // nested record missing
            "{\"id\":1,\"name\":null,\"contact_info\":{\"email_address\":\"a@b\"},\"updated_at\":\"2026-01-01T00:00:00Z\",\"amount\":1}",
            new string('[', 5000),                                                          // deep nesting
            "{\"id\":1,\"id\":2}",                                                          // duplicate property
            "not json at all",
            valid + " trailing",
            "{\"id\":1,\"name\":\"" + new string('x', 2 << 20) + "\"}",                     // huge: over the 1 MiB limit
            "{\"id\":99999999999999999999999,\"name\":\"x\"}",                              // out of range
            "{\"id\":1,\"name\":\"x\",\"contact_info\":{\"email_address\":\"a@b\"},\"updated_at\":\"yesterday\",\"amount\":1}",
            "\"just a string\"",
        ];
        var lines = new List<string>();
        for (var i = 0; i < 11_000; i++) lines.Add(i % 11 == 0 ? SampleStream.Json(i) : hostile[i % hostile.Length]);
        var path = Streams.File(lines);
        // Invalid UTF-8 inside a string, appended raw.
        await File.AppendAllBytesAsync(path, [.. "{\"id\":1,\"name\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}\n"u8.ToArray()]);

        var counters = await Streams.ReplayAsync(resolver, path, Streams.Targets(null), batchSize: 1024);
        Assert.That(counters.Written, Is.EqualTo(1000));
        Assert.That(counters.Errors, Is.EqualTo(10_001));
        Assert.That(counters.FirstErrors.Count, Is.EqualTo(100));
        var reasons = counters.FirstErrors.Select(e => e.Reason).ToList();
        foreach (var reason in reasons.Distinct().Take(15)) TestContext.Out.WriteLine(reason);
        Assert.That(reasons, Has.Some.Contains("not valid JSON"));
        Assert.That(reasons, Has.Some.Contains("Id is not a long"));
        Assert.That(reasons, Has.Some.Contains("ContactInfo is missing"));
        Assert.That(reasons, Has.Some.Contains("Name is null"));
        Assert.That(reasons, Has.Some.Contains("is given twice"));
        Assert.That(reasons, Has.Some.Contains("the limit is"));
        Assert.That(counters.FirstErrors[0].Position, Is.EqualTo(2));
    }
}

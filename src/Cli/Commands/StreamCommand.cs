using System.CommandLine;
using System.Globalization;
using Dsl.Cli.Streams;
using Dsl.Engine.Offline;
using Dsl.Engine.Store;
using Dsl.Streams;
using Dsl.Streams.Definition;
using Dsl.Streams.Processing;
using Dsl.Streams.Sinks;
using Dsl.Streams.Sources;
using NATS.Client.Core;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl stream [--assembly X.dll] [--resolver NAME] (--source nats://HOST:PORT/SUBJECT | --replay FILE.jsonl) [--check]</c>: runs a
/// stream resolver (the sample's when no assembly is given) over NATS JetStream or a replay file, writing to the online store
/// (embedded Garnet, or <c>--redis</c>) and the offline store (<c>--offline DIR</c>), with a live progress line; <c>--check</c>
/// reads a sample of messages, computes their features and prints the verdicts and the first errors, writing nothing.
/// </summary>
internal static class StreamCommand
{
    public static Command Create()
    {
        var assembly = new Option<FileInfo?>("--assembly") { Description = "The assembly exposing stream resolvers (public static StreamResolver members); the sample when absent" };
        var resolver = new Option<string?>("--resolver") { Description = "Which stream resolver, when the assembly has several" };
        var source = new Option<string?>("--source") { Description = "NATS JetStream: nats://HOST:PORT/SUBJECT", HelpName = "URL" };
        var replay = new Option<FileInfo?>("--replay") { Description = "A JSON lines file of messages (or envelopes with headers and a time)" };
        var check = new Option<bool>("--check") { Description = "Read a sample, compute its features, print verdicts and the first errors; write nothing" };
        var sample = new Option<int>("--sample") { Description = "How many messages --check reads", DefaultValueFactory = _ => 1000 };
        var redis = new Option<string?>("--redis") { Description = "A Redis server for the online store; embedded Garnet when absent", HelpName = "HOST:PORT" };
        var offline = new Option<DirectoryInfo?>("--offline") { Description = "The offline store's directory; no offline writes when absent" };
        var durable = new Option<string?>("--durable") { Description = "The NATS durable consumer's name (default: dsl-<resolver>)" };
        var maxMessages = new Option<long?>("--max-messages") { Description = "Stop after this many messages" };
        var idle = new Option<double?>("--idle") { Description = "Stop when NATS delivers nothing for this many seconds" };
        var batch = new Option<int>("--batch") { Description = "Messages per batch", DefaultValueFactory = _ => 4096 };
        var ackWait = new Option<double>("--ack-wait")
        {
            Description = "Seconds NATS waits for an acknowledgement before delivering a message again (after a crash, the messages the dead consumer held arrive again after this)",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("stream", "Run a stream resolver over NATS JetStream or a replay file, or --check it over a sample.")
        {
            assembly, resolver, source, replay, check, sample, redis, offline, durable, maxMessages, idle, batch, ackWait,
        };
        command.SetAction(parsed => Task.Run(() => RunAsync(new Settings(
            StreamResolvers.Find(parsed.GetValue(assembly), parsed.GetValue(resolver)), parsed.GetValue(source), parsed.GetValue(replay), parsed.GetValue(check),
            parsed.GetValue(sample), parsed.GetValue(redis), parsed.GetValue(offline), parsed.GetValue(durable), parsed.GetValue(maxMessages),
            parsed.GetValue(idle), parsed.GetValue(batch), parsed.GetValue(ackWait)))).GetAwaiter().GetResult());
        return command;
    }

    private sealed record Settings(StreamResolver Resolver, string? Source, FileInfo? Replay, bool Check, int Sample, string? Redis, DirectoryInfo? Offline,
        string? Durable, long? MaxMessages, double? Idle, int Batch, double AckWait);

    private static async Task<int> RunAsync(Settings settings)
    {
        if ((settings.Source is null) == (settings.Replay is null)) throw CliException.BadInput("give exactly one of --source nats://HOST:PORT/SUBJECT and --replay FILE");
        if (settings.Batch is < 1 or > 1_000_000) throw CliException.BadInput($"--batch {settings.Batch} is not between 1 and 1,000,000");
        if (!(settings.AckWait is >= 0.1 and <= 86_400)) throw CliException.BadInput(string.Create(CultureInfo.InvariantCulture, $"--ack-wait {settings.AckWait} is not between 0.1 and 86,400 seconds"));
        (string Url, string Subject)? nats = settings.Source is null ? null : NatsAddress(settings.Source);
        await using var source = await OpenSourceAsync(settings, nats);
        return settings.Check ? await CheckAsync(settings, source) : await StreamAsync(settings, source, nats);
    }

    private static async Task<int> CheckAsync(Settings settings, IMessageSource source)
    {
        var resolver = settings.Resolver;
        Console.Out.WriteLine($"stream resolver '{resolver.Name}': {resolver.MessageType.Name} -> {resolver.EntityName}, from {source.Description}");
        Console.Out.WriteLine($"  message columns: {string.Join(", ", resolver.Columns.Select(c => c.Name))}");
        foreach (var (feature, mode, reason) in resolver.Verdicts)
            Console.Out.WriteLine($"  {feature}: {(mode == Runtime.ExecutionMode.Compiled ? "compiled" : "row by row")}{(reason is null ? "" : $" ({reason})")}");
        var targets = new StreamTargets { Publisher = resolver.Sink is null ? null : new DiscardingPublisher() };
        var counters = await StreamRunner.RunAsync(resolver, source, targets, Options(settings, settings.Sample, new ProgressLine()));
        Console.Out.WriteLine($"checked {Summary(counters)}");
        foreach (var error in counters.FirstErrors.Take(10)) Console.Out.WriteLine($"  error at {error.Position}: {error.Reason}");
        return ExitCodes.Success;
    }

    private static async Task<int> StreamAsync(Settings settings, IMessageSource source, (string Url, string Subject)? nats)
    {
        var resolver = settings.Resolver;
        await using var store = resolver.SkipOnline && resolver.DeduplicationWindow is null ? null : await RedisOnlineStore.OpenAsync(settings.Redis);
        await using var offline = settings.Offline is null || resolver.SkipOffline ? null : ParquetOfflineStore.Open(settings.Offline.FullName);
        await using var connection = resolver.Sink is null ? null : new NatsConnection(new NatsOpts { Url = nats?.Url ?? throw CliException.BadInput($"stream resolver '{resolver.Name}' has a sink ({resolver.Sink.Destination}); run it with --source nats://… so it can publish") });
        var targets = new StreamTargets { Online = store, Offline = offline, Publisher = connection is null ? null : new NatsPublisher(connection) };
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.Error.WriteLine($"dsl stream: '{resolver.Name}' from {source.Description} to {store?.Description ?? "no online store"}{(offline is null ? "" : $" and {offline.Description}")}; Ctrl+C stops");
        var progress = new ProgressLine();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var counters = new StreamCounters();
        try
        {
            await StreamRunner.RunAsync(resolver, source, targets, Options(settings, settings.MaxMessages, progress), counters, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        progress.Finish(counters, source.Lag);
        var rate = clock.Elapsed.TotalSeconds > 0 ? counters.Messages / clock.Elapsed.TotalSeconds : 0;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streamed {Summary(counters)} in {clock.Elapsed.TotalSeconds:F1} s ({rate:N0} msgs/s)"));
        foreach (var error in counters.FirstErrors.Take(10)) Console.Out.WriteLine($"  error at {error.Position}: {error.Reason}");
        return ExitCodes.Success;
    }

    private static StreamRunOptions Options(Settings settings, long? maxMessages, ProgressLine progress) => new()
    {
        BatchSize = settings.Batch,
        MaxMessages = maxMessages,
        StopWhenIdle = settings.Idle is { } seconds ? TimeSpan.FromSeconds(seconds) : settings.Check ? TimeSpan.FromSeconds(2) : null,
        Progress = progress.Update,
    };

    private static string Summary(StreamCounters c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Messages:N0} messages: {c.Written:N0} written, {c.Filtered:N0} filtered, {c.ParseSkipped:N0} parse-skipped, {c.Duplicates:N0} duplicates, {c.Late:N0} late, {c.Errors:N0} errors");

    private static async Task<IMessageSource> OpenSourceAsync(Settings settings, (string Url, string Subject)? nats)
    {
        if (settings.Replay is { } file)
        {
            if (!file.Exists) throw CliException.BadInput($"cannot read replay file '{file.FullName}': the file does not exist");
            return new ReplaySource(file.FullName);
        }
        var (url, subject) = nats!.Value;
        try
        {
            return await NatsJetStreamSource.OpenAsync(new NatsSourceOptions
            {
                Url = url,
                Subject = subject,
                Durable = settings.Durable ?? $"dsl-{NatsStreams.NameFor(settings.Resolver.Name)}",
                AckWait = TimeSpan.FromSeconds(settings.AckWait),
            });
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            throw CliException.BadInput($"cannot consume {settings.Source}: {e.Message}", e);
        }
    }

    /// <summary><c>nats://host:port/subject</c> → the server URL and the subject.</summary>
    private static (string Url, string Subject) NatsAddress(string source)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme != "nats" || uri.AbsolutePath.Trim('/').Length == 0)
            throw CliException.BadInput($"--source '{source}' is not nats://HOST:PORT/SUBJECT");
        var port = uri.IsDefaultPort || uri.Port < 0 ? 4222 : uri.Port;
        return ($"nats://{uri.Host}:{port}", Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')));
    }

    /// <summary>Where a <c>--check</c> run's sink messages go: nowhere (a check writes nothing).</summary>
    private sealed class DiscardingPublisher : IMessagePublisher
    {
        public ValueTask PublishAsync(string destination, IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

using Dsl.Streams.Definition;
using Dsl.Streams.Processing;
using Dsl.Streams.Sources;

namespace Dsl.Streams;

/// <summary>Settings of a <see cref="StreamRunner"/>.</summary>
public sealed record StreamRunOptions
{
    /// <summary>The most messages processed as one batch.</summary>
    public int BatchSize { get; init; } = 4096;

    /// <summary>How long a live source is waited on to fill a batch before a partial one is processed.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Stop after this many messages (null: when the source ends, or when cancelled).</summary>
    public long? MaxMessages { get; init; }

    /// <summary>Stop when a live source has delivered nothing for this long (null: never).</summary>
    public TimeSpan? StopWhenIdle { get; init; }

    /// <summary>Called after each batch with the counters and the source's lag.</summary>
    public Action<StreamCounters, long?>? Progress { get; init; }
}

/// <summary>
/// Runs a stream resolver over a source: reads a batch, processes it (results written), then acknowledges it, so a crash at any
/// point loses nothing (the unacknowledged batch is redelivered; with deduplication its effects happen once).
/// </summary>
public static class StreamRunner
{
    /// <summary>Runs until the source ends, <see cref="StreamRunOptions.MaxMessages"/> are read, the source is idle long enough, or cancellation.</summary>
    public static async Task<StreamCounters> RunAsync(StreamResolver resolver, IMessageSource source, StreamTargets targets, StreamRunOptions? options = null,
        StreamCounters? counters = null, CancellationToken cancellationToken = default)
    {
        options ??= new StreamRunOptions();
        var processor = new StreamProcessor(resolver, targets, counters);
        var batch = new MessageBatch();
        var idleSince = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            var room = options.MaxMessages is { } max ? (int)Math.Min(options.BatchSize, max - processor.Counters.Messages) : options.BatchSize;
            if (room <= 0) break;
            if (!await source.ReadAsync(batch, room, options.MaxWait, cancellationToken).ConfigureAwait(false)) break;
            if (batch.Count == 0)
            {
                if (options.StopWhenIdle is { } idle && DateTime.UtcNow - idleSince > idle) break;
                continue;
            }
            idleSince = DateTime.UtcNow;
            await processor.ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
            await source.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
            options.Progress?.Invoke(processor.Counters, source.Lag);
        }
        return processor.Counters;
    }
}

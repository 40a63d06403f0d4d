namespace Dsl.Streams.Sources;

/// <summary>
/// Where a stream resolver's messages come from: batches of raw messages, acknowledged after their results are written. A
/// source keeps at-least-once delivery by redelivering what was read but not acknowledged (after a crash, or a restart of the
/// consumer). An adapter for another broker (Kafka: poll a batch, commit its offsets) implements these three members.
/// </summary>
public interface IMessageSource : IAsyncDisposable
{
    /// <summary>What the source is (<c>nats://127.0.0.1:4222/users (durable users-resolver)</c>, <c>replay users.jsonl</c>).</summary>
    string Description { get; }

    /// <summary>
    /// Fills <paramref name="batch"/> (cleared first) with up to <paramref name="maxMessages"/> messages, waiting at most
    /// <paramref name="maxWait"/> for them to arrive. Returns false when the source has ended (a replay file read to its end)
    /// and the batch is empty; a live source never ends, it returns an empty batch when nothing arrived.
    /// </summary>
    ValueTask<bool> ReadAsync(MessageBatch batch, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Acknowledges every message of the last batch read: called after its results are written.</summary>
    ValueTask AcknowledgeAsync(CancellationToken cancellationToken);

    /// <summary>How many messages are waiting in the source beyond those read, when it knows; null otherwise.</summary>
    long? Lag { get; }
}

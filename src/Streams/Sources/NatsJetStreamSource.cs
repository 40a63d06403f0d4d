using System.Threading.Channels;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Dsl.Streams.Sources;

/// <summary>Where a <see cref="NatsJetStreamSource"/> reads.</summary>
public sealed record NatsSourceOptions
{
    /// <summary>The server (<c>nats://127.0.0.1:4222</c>).</summary>
    public required string Url { get; init; }

    /// <summary>The subject to consume (the consumer's filter).</summary>
    public required string Subject { get; init; }

    /// <summary>The JetStream stream holding the subject; null: the stream that holds it, created (file storage) when there is none.</summary>
    public string? Stream { get; init; }

    /// <summary>The durable consumer's name: a restarted resolver with the same name continues where the last one acknowledged.</summary>
    public required string Durable { get; init; }

    /// <summary>How long a delivered message may go unacknowledged before the server delivers it again.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Messages from NATS JetStream through a durable pull consumer with explicit acknowledgements. Messages are pulled ahead
/// into a bounded queue and handed out in batches; each is acknowledged only by <see cref="AcknowledgeAsync"/>, after its
/// batch's results are written, so a crash or a stopped consumer loses nothing: unacknowledged messages are delivered again
/// (at least once). The connection reconnects by itself when the server restarts, and consuming resumes.
/// </summary>
public sealed class NatsJetStreamSource : IMessageSource
{
    private readonly NatsConnection _connection;
    private readonly INatsJSConsumer _consumer;
    private readonly Channel<INatsJSMsg<byte[]>> _queue = Channel.CreateBounded<INatsJSMsg<byte[]>>(new BoundedChannelOptions(16_384) { SingleReader = true, SingleWriter = true });
    private readonly List<INatsJSMsg<byte[]>> _unacknowledged = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private long? _lag;

    private NatsJetStreamSource(NatsConnection connection, INatsJSConsumer consumer, string description)
    {
        _connection = connection;
        _consumer = consumer;
        Description = description;
        _pump = Task.Run(PumpAsync);
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public long? Lag => _lag;

    /// <summary>How many acknowledgements could not be sent (the server was away); those messages are delivered again.</summary>
    public long FailedAcknowledgements { get; private set; }

    /// <summary>Connects, finds (or creates) the stream and creates (or updates) the durable consumer.</summary>
    public static async Task<NatsJetStreamSource> OpenAsync(NatsSourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = new NatsConnection(new NatsOpts { Url = options.Url, Name = $"dsl-stream-{options.Durable}", MaxReconnectRetry = -1 });
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            var js = new NatsJSContext(connection);
            var stream = options.Stream ?? await NatsStreams.FindOrCreateAsync(js, options.Subject, cancellationToken).ConfigureAwait(false);
            var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig(options.Durable)
            {
                AckPolicy = ConsumerConfigAckPolicy.Explicit,
                FilterSubject = options.Subject,
                AckWait = options.AckWait,
                MaxAckPending = 65_536,
            }, cancellationToken).ConfigureAwait(false);
            return new NatsJetStreamSource(connection, consumer, $"{options.Url}/{options.Subject} (stream {stream}, durable {options.Durable})");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReadAsync(MessageBatch batch, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        batch.Clear();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(maxWait);
        try
        {
            if (!await _queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
        while (batch.Count < maxMessages && _queue.Reader.TryRead(out var message))
        {
            var metadata = message.Metadata;
            batch.Add(message.Data ?? [], metadata?.Timestamp.UtcDateTime, (long)(metadata?.Sequence.Stream ?? 0));
            if (message.Headers is { } headers)
            {
                foreach (var (name, values) in headers)
                {
                    foreach (var value in values) batch.AddHeader(name, value ?? "");
                }
            }
            _unacknowledged.Add(message);
            if (metadata is { } m) _lag = (long)m.NumPending + _queue.Reader.Count;
        }
        return true;
    }

    /// <inheritdoc />
    public async ValueTask AcknowledgeAsync(CancellationToken cancellationToken)
    {
        foreach (var message in _unacknowledged)
        {
            try
            {
                await message.AckAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NatsException)
            {
                // The server is away: the message will be delivered again (at least once; deduplication and overwrites absorb it).
                FailedAcknowledgements++;
            }
        }
        _unacknowledged.Clear();
    }

    /// <summary>Pulls messages into the queue; when consuming ends (a server restart, a deleted consumer) it starts again after a pause.</summary>
    private async Task PumpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var message in _consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 4096 }, cancellationToken: _stop.Token).ConfigureAwait(false))
                    await _queue.Writer.WriteAsync(message, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or InvalidOperationException)
            {
                // Consuming failed (the server went away mid-request); resume after a pause.
            }
            try
            {
                await Task.Delay(250, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops pulling and closes the connection; messages not acknowledged are delivered again to the next consumer.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Finding the JetStream stream that holds a subject.</summary>
public static class NatsStreams
{
    /// <summary>The stream holding <paramref name="subject"/>, or a new one (file storage) named after it.</summary>
    public static async Task<string> FindOrCreateAsync(INatsJSContext js, string subject, CancellationToken cancellationToken = default)
    {
        await foreach (var name in js.ListStreamNamesAsync(subject, cancellationToken).ConfigureAwait(false)) return name;
        var created = NameFor(subject);
        await js.CreateStreamAsync(new StreamConfig(created, [subject]) { Storage = StreamConfigStorage.File }, cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>A stream name for a subject: its characters that stream names cannot hold replaced (<c>users.&gt;</c> → <c>users__</c>).</summary>
    public static string NameFor(string subject) => new(subject.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}

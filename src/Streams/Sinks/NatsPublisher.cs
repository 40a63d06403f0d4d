using NATS.Client.Core;

namespace Dsl.Streams.Sinks;

/// <summary>Publishes sink messages on a NATS connection and waits until the server has them (a round trip after the batch).</summary>
public sealed class NatsPublisher(INatsConnection connection) : IMessagePublisher
{
    /// <inheritdoc />
    public async ValueTask PublishAsync(string destination, IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
            await connection.PublishAsync(destination, message.ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await connection.PingAsync(cancellationToken).ConfigureAwait(false);
    }
}

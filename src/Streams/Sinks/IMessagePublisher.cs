namespace Dsl.Streams.Sinks;

/// <summary>Sends a sink's messages to a destination (a NATS subject); <see cref="PublishAsync"/> returns once they are sent.</summary>
public interface IMessagePublisher
{
    /// <summary>Sends <paramref name="messages"/> to <paramref name="destination"/>, in order.</summary>
    ValueTask PublishAsync(string destination, IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken);
}

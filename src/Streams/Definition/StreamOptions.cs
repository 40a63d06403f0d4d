namespace Dsl.Streams.Definition;

/// <summary>How a sink writes the features it forwards.</summary>
public enum SinkFormat
{
    /// <summary>One JSON object per message, keyed by fully qualified feature names (<c>{"user.id": 42, "user.email": "…"}</c>).</summary>
    Json,

    /// <summary>One Arrow IPC stream per batch, one column per feature named by its fully qualified name.</summary>
    ArrowIpc,
}

/// <summary>A header a message must carry, with this value, to be processed (checked before the message is parsed).</summary>
/// <param name="Name">The header's name (compared ignoring ASCII case).</param>
/// <param name="Value">Its value (compared exactly).</param>
public sealed record HeaderFilter(string Name, string Value);

/// <summary>Where computed features are forwarded: a destination (a NATS subject) and the features sent.</summary>
/// <param name="Destination">The subject the sink publishes to.</param>
/// <param name="Format">JSON per message or Arrow IPC per batch.</param>
/// <param name="Features">The output features sent (their names), in order.</param>
public sealed record StreamSink(string Destination, SinkFormat Format, IReadOnlyList<string> Features);

/// <summary>A feature the stream writes.</summary>
/// <param name="Feature">The entity's property name (<c>Email</c>).</param>
/// <param name="Type">The property's type.</param>
/// <param name="QualifiedName">The fully qualified name (<c>user.email</c>), as queries and sinks spell it.</param>
/// <param name="MaxStaleness">How long the online store keeps it: the property's <c>[MaxStaleness]</c>, else until overwritten.</param>
public sealed record StreamOutput(string Feature, Type Type, string QualifiedName, TimeSpan MaxStaleness);

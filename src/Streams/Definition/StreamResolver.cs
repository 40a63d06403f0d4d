using Dsl.Runtime;

namespace Dsl.Streams.Definition;

/// <summary>
/// A checked and compiled stream resolver: which messages it reads (<see cref="Source"/>, <see cref="HeaderFilters"/>), how they
/// become columns (<see cref="Columns"/>, or <see cref="ParseFunction"/>), the features it computes from them
/// (<see cref="Plan"/>, one compiled kernel per feature or a row-by-row fallback with its reason) and where they go.
/// </summary>
public sealed class StreamResolver
{
    /// <summary>The name of the plan feature computing the deduplication key.</summary>
    internal const string DeduplicationKey = "$dedup";

    internal StreamResolver(StreamResolverSpec spec, MessageShape shape, IReadOnlyList<MessageColumn> columns, Type entity, string keyFeature,
        IReadOnlyList<StreamOutput> outputs, FeaturePlan plan, StreamSink? sink)
    {
        Name = spec.Name;
        Source = spec.Source;
        MessageType = spec.MessageType;
        Shape = shape;
        Columns = columns;
        Entity = entity;
        KeyFeature = keyFeature;
        Outputs = outputs;
        Plan = plan;
        HeaderFilters = spec.HeaderFilters;
        ParseFunction = spec.Parse;
        DeduplicationWindow = spec.Deduplication?.Within;
        Sink = sink;
        SkipOnline = spec.SkipOnline;
        SkipOffline = spec.SkipOffline;
        LateArrivalDeadline = spec.LateArrivalDeadline;
    }

    /// <summary>Starts the definition of a stream resolver named <paramref name="name"/> reading the source named <paramref name="source"/>.</summary>
    public static StreamResolverBuilder<TMessage> For<TMessage>(string name, string source) where TMessage : class => new(name, source);

    /// <summary>The resolver's name.</summary>
    public string Name { get; }

    /// <summary>The name of the source it reads (a subject, a replay file: given when it runs).</summary>
    public string Source { get; }

    /// <summary>The message type.</summary>
    public Type MessageType { get; }

    /// <summary>The message type's members.</summary>
    public MessageShape Shape { get; }

    /// <summary>The columns messages are read into.</summary>
    public IReadOnlyList<MessageColumn> Columns { get; }

    /// <summary>The entity whose features it writes.</summary>
    public Type Entity { get; }

    /// <summary>The entity's primary key feature (an output: it keys every write).</summary>
    public string KeyFeature { get; }

    /// <summary>The features written, the key first.</summary>
    public IReadOnlyList<StreamOutput> Outputs { get; }

    /// <summary>The compiled features (and the deduplication key, <c>$dedup</c>, when there is one) over <see cref="Columns"/>.</summary>
    public FeaturePlan Plan { get; }

    /// <summary>Each output's verdict: compiled to a kernel, or run row by row and why.</summary>
    public IReadOnlyList<(string Feature, ExecutionMode Mode, string? Reason)> Verdicts =>
        Plan.Features.Select(f => (f.Name, f.Function.Mode, f.Function.FallbackReason)).ToArray();

    /// <summary>Headers a message must carry to be processed.</summary>
    public IReadOnlyList<HeaderFilter> HeaderFilters { get; }

    /// <summary>The parse function (raw bytes → message, or null to skip), or null when messages are read as JSON (or whole, for a string message).</summary>
    public Func<ReadOnlyMemory<byte>, object?>? ParseFunction { get; }

    /// <summary>The deduplication window, or null without deduplication.</summary>
    public TimeSpan? DeduplicationWindow { get; }

    /// <summary>Where features are forwarded, or null.</summary>
    public StreamSink? Sink { get; }

    /// <summary>Whether online store writes are skipped.</summary>
    public bool SkipOnline { get; }

    /// <summary>Whether offline store writes are skipped.</summary>
    public bool SkipOffline { get; }

    /// <summary>Messages older than this when they arrive are dropped and counted; null: none are.</summary>
    public TimeSpan? LateArrivalDeadline { get; }

    /// <summary>The entity's name (its class name), as the stores key it.</summary>
    public string EntityName => Entity.Name;
}

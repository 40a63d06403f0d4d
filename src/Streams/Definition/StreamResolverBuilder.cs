using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Streams.Definition;

/// <summary>
/// Defines a stream resolver over messages of <typeparamref name="TMessage"/> (start with <see cref="StreamResolver.For{TMessage}"/>):
/// the features it writes as <c>_</c> expressions over the message, and optionally a parse function, header filters,
/// deduplication, a sink, which stores to skip and a late-arrival deadline. <see cref="Build"/> checks everything and compiles
/// the expressions.
/// </summary>
/// <typeparam name="TMessage">A record or class (nested records and nullable members allowed), or <see cref="string"/> for the whole message.</typeparam>
public sealed class StreamResolverBuilder<TMessage> where TMessage : class
{
    private readonly string _name;
    private readonly string _source;
    private readonly List<(Type Entity, string Feature, LambdaExpression Value)> _outputs = [];
    private readonly List<HeaderFilter> _headerFilters = [];
    private Func<ReadOnlyMemory<byte>, object?>? _parse;
    private (LambdaExpression Key, TimeSpan Within)? _deduplication;
    private (string Destination, SinkFormat Format, string[] Features)? _sink;
    private bool _skipOnline;
    private bool _skipOffline;
    private TimeSpan? _lateArrivalDeadline;

    internal StreamResolverBuilder(string name, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        _name = name;
        _source = source;
    }

    /// <summary>Writes <paramref name="feature"/> (<c>(User u) =&gt; u.Email</c>) as <paramref name="value"/> (<c>m =&gt; m.ContactInfo.EmailAddress</c>).</summary>
    public StreamResolverBuilder<TMessage> Output<TEntity, T>(Expression<Func<TEntity, T>> feature, Expression<Func<TMessage, T>> value) where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(value);
        if (feature.Body is not MemberExpression { Member: PropertyInfo property } member || member.Expression != feature.Parameters[0])
            throw new StreamDefinitionException(_name, $"the feature {feature} must be a property of {typeof(TEntity).Name} (e => e.Property).");
        _outputs.Add((typeof(TEntity), property.Name, value));
        return this;
    }

    /// <summary>Writes the feature named <paramref name="feature"/> of <typeparamref name="TEntity"/> (exact, ignoring case, or ignoring underscores too) as <paramref name="value"/>.</summary>
    public StreamResolverBuilder<TMessage> Output<TEntity>(string feature, LambdaExpression value) where TEntity : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feature);
        ArgumentNullException.ThrowIfNull(value);
        _outputs.Add((typeof(TEntity), feature, value));
        return this;
    }

    /// <summary>Parses each raw message (UTF-8 text) into the message, or null to skip it; instead of reading it as JSON.</summary>
    public StreamResolverBuilder<TMessage> Parse(Func<string, TMessage?> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        _parse = raw => parse(System.Text.Encoding.UTF8.GetString(raw.Span));
        return this;
    }

    /// <summary>Parses each raw message (its bytes) into the message, or null to skip it; instead of reading it as JSON.</summary>
    public StreamResolverBuilder<TMessage> Parse(Func<ReadOnlyMemory<byte>, TMessage?> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        _parse = raw => parse(raw);
        return this;
    }

    /// <summary>Processes only messages whose header <paramref name="name"/> is <paramref name="value"/> (all filters must hold); checked before parsing.</summary>
    public StreamResolverBuilder<TMessage> HeaderFilter(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        _headerFilters.Add(new HeaderFilter(name, value));
        return this;
    }

    /// <summary>Skips a message whose <paramref name="key"/> was seen within <paramref name="within"/> (the keys live in the online store).</summary>
    public StreamResolverBuilder<TMessage> Deduplicate<TKey>(Expression<Func<TMessage, TKey>> key, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (within <= TimeSpan.Zero) throw new StreamDefinitionException(_name, $"the deduplication window must be positive (got {within}).");
        _deduplication = (key, within);
        return this;
    }

    /// <summary>Forwards <paramref name="features"/> (output feature names; all outputs when none) to <paramref name="destination"/>.</summary>
    public StreamResolverBuilder<TMessage> Sink(string destination, SinkFormat format, params string[] features)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        _sink = (destination, format, features ?? []);
        return this;
    }

    /// <summary>Does not write to the online store.</summary>
    public StreamResolverBuilder<TMessage> SkipOnline(bool skip = true)
    {
        _skipOnline = skip;
        return this;
    }

    /// <summary>Does not write to the offline store.</summary>
    public StreamResolverBuilder<TMessage> SkipOffline(bool skip = true)
    {
        _skipOffline = skip;
        return this;
    }

    /// <summary>Drops (and counts) messages older than <paramref name="deadline"/> when they arrive.</summary>
    public StreamResolverBuilder<TMessage> LateArrivalDeadline(TimeSpan deadline)
    {
        if (deadline <= TimeSpan.Zero) throw new StreamDefinitionException(_name, $"the late-arrival deadline must be positive (got {deadline}).");
        _lateArrivalDeadline = deadline;
        return this;
    }

    /// <summary>Checks the definition and compiles its expressions.</summary>
    /// <exception cref="StreamDefinitionException">Something does not fit; the message names the member or feature.</exception>
    public StreamResolver Build() => StreamResolverCompiler.Compile(new StreamResolverSpec(
        _name, _source, typeof(TMessage), _outputs, _headerFilters, _parse, _deduplication, _sink, _skipOnline, _skipOffline, _lateArrivalDeadline));
}

/// <summary>What a builder collected, for <see cref="StreamResolverCompiler"/>.</summary>
internal sealed record StreamResolverSpec(
    string Name,
    string Source,
    Type MessageType,
    IReadOnlyList<(Type Entity, string Feature, LambdaExpression Value)> Outputs,
    IReadOnlyList<HeaderFilter> HeaderFilters,
    Func<ReadOnlyMemory<byte>, object?>? Parse,
    (LambdaExpression Key, TimeSpan Within)? Deduplication,
    (string Destination, SinkFormat Format, string[] Features)? Sink,
    bool SkipOnline,
    bool SkipOffline,
    TimeSpan? LateArrivalDeadline);

using System.Collections.Concurrent;
using Apache.Arrow;

namespace Dsl.Engine.Planning;

/// <summary>What one query's steps have produced so far: values of the entity's features, related rows, and failures.</summary>
internal sealed class ExecutionState
{
    public ExecutionState(IReadOnlyDictionary<string, object?> known, DateTime now, ConcurrentDictionary<string, Task<RecordBatch>>? fetched = null)
    {
        _fetched = fetched;
        foreach (var (name, value) in known) Values[name] = value;
        Now = now;
    }

    /// <summary>The time the features are computed for.</summary>
    public DateTime Now { get; }

    /// <summary>Feature → value (given, looked up or computed).</summary>
    public ConcurrentDictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Relation → its fetched rows, columns named as the related entity's features.</summary>
    public ConcurrentDictionary<string, RecordBatch> Related { get; } = new(StringComparer.Ordinal);

    /// <summary>Feature or relation → why it has no value.</summary>
    public ConcurrentDictionary<string, QueryError> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Step → its time.</summary>
    public ConcurrentDictionary<int, TimeSpan> Timings { get; } = new();

    private readonly ConcurrentDictionary<string, Task<RecordBatch>>? _fetched;

    /// <summary>
    /// Runs a resolver, or (offline, where many rows of one entity are computed at different times) reuses the call another row of
    /// the same entity made with the same inputs: the rows a resolver returns do not depend on the time; what is visible does.
    /// </summary>
    public Task<RecordBatch> CallAsync(Graph.ResolverNode resolver, object?[] inputs, CancellationToken cancellationToken) => _fetched is null
        ? ResolverCalls.CallAsync(resolver, inputs, cancellationToken)
        : _fetched.GetOrAdd($"{resolver.Name}\u0001{string.Join("\u0001", inputs)}", _ => ResolverCalls.CallAsync(resolver, inputs, cancellationToken));

    /// <summary>Marks every one of <paramref name="features"/> failed with <paramref name="error"/>'s type and message.</summary>
    public void Fail(IEnumerable<string> features, Exception error)
    {
        foreach (var feature in features) Failures[feature] = new QueryError(feature, error.GetType().FullName!, error.Message);
    }
}

using System.Collections.Concurrent;
using Apache.Arrow;

namespace Dsl.Engine.Planning;

/// <summary>
/// What one run of a plan has produced so far, for each of the entities it answers (rows 0…<see cref="Rows"/>−1): values of the
/// entity's features, the related rows of all of them, and failures — of a feature for one entity, or for all.
/// </summary>
internal sealed class ExecutionState
{
    /// <param name="known">Per entity, its given feature → value (every entity gives the same features).</param>
    /// <param name="now">The time the features are computed for.</param>
    /// <param name="calls">Resolver calls shared with other runs (offline recomputation), or null to call every resolver afresh.</param>
    public ExecutionState(IReadOnlyList<IReadOnlyDictionary<string, object?>> known, DateTime now, ResolverCallCache? calls = null)
    {
        _calls = calls;
        Rows = known.Count;
        Now = now;
        foreach (var name in known.Count == 0 ? [] : known[0].Keys)
        {
            var column = new object?[Rows];
            for (var row = 0; row < Rows; row++) column[row] = known[row][name];
            Values[name] = column;
        }
    }

    /// <summary>A state for other entities (a has-one relation's related rows) sharing this one's time and resolver calls.</summary>
    public ExecutionState For(IReadOnlyList<IReadOnlyDictionary<string, object?>> known) => new(known, Now, _calls);

    /// <summary>A state of no entities, for queries the store answered entirely (nothing runs, nothing is read from it).</summary>
    public static ExecutionState None { get; } = new([], DateTime.MinValue);

    /// <summary>The number of entities.</summary>
    public int Rows { get; }

    /// <summary>The time the features are computed for.</summary>
    public DateTime Now { get; }

    /// <summary>Feature → its value per entity (given, looked up or computed).</summary>
    public ConcurrentDictionary<string, object?[]> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Relation → the fetched rows of every entity, columns named as the related entity's features.</summary>
    public ConcurrentDictionary<string, RecordBatch> Related { get; } = new(StringComparer.Ordinal);

    /// <summary>Feature or relation → why it has no value, per entity (null where it has one).</summary>
    public ConcurrentDictionary<string, QueryError?[]> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Step → its time.</summary>
    public ConcurrentDictionary<int, TimeSpan> Timings { get; } = new();

    /// <summary>The entities a lookup by their given features found no row for (they do not exist where that resolver looks).</summary>
    public ConcurrentDictionary<int, bool> Missing { get; } = new();

    /// <summary>Whether entity <paramref name="row"/> was found (no lookup by its given features came back empty).</summary>
    public bool Found(int row) => !Missing.ContainsKey(row);

    private readonly ResolverCallCache? _calls;

    /// <summary>Runs <paramref name="resolver"/> for the entities' <paramref name="inputs"/>, or reuses a shared call with the same inputs.</summary>
    public Task<(RecordBatch Rows, Exception?[] Failures)> CallAsync(Graph.ResolverNode resolver, IReadOnlyList<object?[]> inputs, CancellationToken cancellationToken) =>
        _calls is null ? ResolverCalls.CallManyAsync(resolver, inputs, cancellationToken) : _calls.CallAsync(resolver, inputs, cancellationToken);

    /// <summary>The value column of <paramref name="feature"/>, made on first use.</summary>
    public object?[] Column(string feature) => Values.GetOrAdd(feature, static (_, rows) => new object?[rows], Rows);

    /// <summary>Why <paramref name="feature"/> of entity <paramref name="row"/> failed, or null.</summary>
    public QueryError? Failure(string feature, int row) => Failures.TryGetValue(feature, out var rows) ? rows[row] : null;

    /// <summary>Marks <paramref name="feature"/> of entity <paramref name="row"/> failed.</summary>
    public void Fail(string feature, int row, QueryError error) =>
        Failures.GetOrAdd(feature, static (_, rows) => new QueryError?[rows], Rows)[row] = error.Feature == feature ? error : error with { Feature = feature };

    /// <summary>Marks every one of <paramref name="features"/> failed, for the entities <paramref name="rows"/>, with <paramref name="error"/>'s type and message.</summary>
    public void Fail(IEnumerable<string> features, IEnumerable<int> rows, Exception error)
    {
        var failure = new QueryError("", error.GetType().FullName!, error.Message);
        var all = rows.ToList();
        foreach (var feature in features)
            foreach (var row in all) Fail(feature, row, failure);
    }
}

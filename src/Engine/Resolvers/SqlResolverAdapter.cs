using Apache.Arrow;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// A bound SQL resolver as the graph sees it: its parameters (<c>${user.id}</c>) are its inputs, its described columns its outputs,
/// and a call is one lookup by the input values (the key column the lookup adds is dropped), or many in one round trip (the key kept).
/// </summary>
internal sealed class SqlResolverAdapter : IBulkResolver
{
    private readonly BoundSqlResolver _bound;

    private SqlResolverAdapter(BoundSqlResolver bound, IReadOnlyList<SqlOutputColumn> outputs, TimeSpan timeout)
    {
        _bound = bound;
        Outputs = outputs.Select(o => o.Feature.Name).ToArray();
        Inputs = bound.Keys.Select(k => $"{k.Entity.EntityType.Name}.{k.Feature.Name}").ToArray();
        Timeout = timeout;
    }

    /// <summary>The default timeout of a SQL resolver whose header sets none.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(2);

    public string Name => _bound.Name;

    public string Entity => _bound.Entity.EntityType.Name;

    public ResolverKind Kind => _bound.Definition.Kind;

    public IReadOnlyList<string> Inputs { get; }

    public IReadOnlyList<string> Outputs { get; }

    public string Description => $"SQL on {_bound.Source.Kind} '{_bound.Source.Name}'";

    public TimeSpan Timeout { get; }

    /// <summary>Whether a call returns its task without blocking the caller (its source's I/O is asynchronous from the start).</summary>
    internal bool StartsWithoutBlocking => _bound.Source.StartsWithoutBlocking;

    /// <summary>Describes the resolver's columns on its source (one query) and wraps it.</summary>
    public static async Task<SqlResolverAdapter> CreateAsync(BoundSqlResolver bound, CancellationToken cancellationToken)
    {
        var outputs = await bound.DescribeAsync(cancellationToken).ConfigureAwait(false);
        return new SqlResolverAdapter(bound, outputs, bound.Definition.Timeout ?? DefaultTimeout);
    }

    public async Task<RecordBatch> FetchAsync(IReadOnlyList<object?> inputs, CancellationToken cancellationToken)
    {
        var keyed = await FetchManyAsync([inputs], cancellationToken).ConfigureAwait(false);
        return new RecordBatch(new Schema(keyed.Schema.FieldsList.Skip(1), null), keyed.Arrays.Skip(1), keyed.Length);
    }

    public async Task<RecordBatch> FetchManyAsync(IReadOnlyList<IReadOnlyList<object?>> inputs, CancellationToken cancellationToken)
    {
        var result = await _bound.LookupTuplesAsync(inputs, cancellationToken).ConfigureAwait(false);
        return KeyedBatches.Concatenate(result.Schema, result.Batches);
    }
}

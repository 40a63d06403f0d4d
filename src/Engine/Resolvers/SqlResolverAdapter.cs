using Apache.Arrow;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// A bound SQL resolver as the graph sees it: its parameters (<c>${user.id}</c>) are its inputs, its described columns its outputs,
/// and a call is one lookup by the input values (the key column the lookup adds is dropped).
/// </summary>
internal sealed class SqlResolverAdapter : IResolver
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

    /// <summary>Describes the resolver's columns on its source (one query) and wraps it.</summary>
    public static async Task<SqlResolverAdapter> CreateAsync(BoundSqlResolver bound, CancellationToken cancellationToken)
    {
        var outputs = await bound.DescribeAsync(cancellationToken).ConfigureAwait(false);
        return new SqlResolverAdapter(bound, outputs, bound.Definition.Timeout ?? DefaultTimeout);
    }

    public async Task<RecordBatch> FetchAsync(IReadOnlyList<object?> inputs, CancellationToken cancellationToken) =>
        (await FetchManyAsync([inputs], cancellationToken).ConfigureAwait(false)).Rows;

    /// <summary>
    /// The rows of many lookups in one round trip: all rows (without the lookup column), grouped by lookup in the order asked, and
    /// for each row the index of the lookup it answers.
    /// </summary>
    public async Task<(RecordBatch Rows, int[] LookupOf)> FetchManyAsync(IReadOnlyList<IReadOnlyList<object?>> inputs, CancellationToken cancellationToken)
    {
        var result = await _bound.LookupTuplesAsync(inputs, cancellationToken).ConfigureAwait(false);
        var batches = result.Batches.Count > 0 ? result.Batches : [Sources.EmptyArrays.Batch(result.Schema)];
        var keyless = result.Schema.FieldsList.Where(f => f.Name != SqlResolverResult.KeyColumn).ToList();
        var columns = keyless.Select(field =>
        {
            var index = result.Schema.GetFieldIndex(field.Name);
            var parts = batches.Select(b => b.Column(index)).ToList();
            return parts.Count == 1 ? parts[0] : ArrowArrayConcatenator.Concatenate(parts);
        }).ToList();
        var lookupOf = batches.SelectMany(b => ((Int32Array)b.Column(SqlResolverResult.KeyColumn)).Values.ToArray()).ToArray();
        return (new RecordBatch(new Schema(keyless, null), columns, (int)result.RowCount), lookupOf);
    }
}

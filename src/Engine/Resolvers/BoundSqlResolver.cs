using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Types;
using Dsl.Engine.Sources;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// A SQL resolver whose names are resolved: its entity, its source and its keys. <see cref="DescribeAsync"/> asks the
/// source for the query's columns and maps each to a feature; then <see cref="LookupAsync"/> fetches the rows for any
/// number of keys in one round trip, and <see cref="ScanAsync"/> reads a resolver without parameters whole.
/// </summary>
/// <remarks>
/// How a lookup runs (<see cref="SqlResolverQueries"/> writes the SQL): one key binds each <c>${…}</c> to a scalar
/// parameter; several keys bind each parameter to a list, and the query runs once per position of the lists, joined
/// laterally to them, in one statement. A key whose value is null is not looked up (as SQL's <c>=</c> matches no
/// null) and has no rows. The resolver's timeout, when it has one, bounds the whole lookup.
/// </remarks>
public sealed class BoundSqlResolver
{
    private readonly SqlResolverQueries _queries;
    private volatile Described? _described;

    internal BoundSqlResolver(SqlResolver definition, FeatureSet entity, DataSource source, IReadOnlyList<ResolverKey> keys)
    {
        Definition = definition;
        Entity = entity;
        Source = source;
        Keys = keys;
        _queries = new SqlResolverQueries(definition, source, keys);
    }

    /// <summary>The resolver as parsed.</summary>
    public SqlResolver Definition { get; }

    /// <summary>The resolver's name.</summary>
    public string Name => Definition.Name;

    /// <summary>The feature set of the entity whose features the columns are.</summary>
    public FeatureSet Entity { get; }

    /// <summary>The source the query runs on.</summary>
    public DataSource Source { get; }

    /// <summary>The keys the lookup is by, one per distinct <c>${…}</c>, in order of first use. Empty for a resolver that reads everything.</summary>
    public IReadOnlyList<ResolverKey> Keys { get; }

    /// <summary>The output columns and their features, once <see cref="DescribeAsync"/> has run; null before.</summary>
    public IReadOnlyList<SqlOutputColumn>? Outputs => _described?.Outputs;

    /// <summary>The SQL a lookup of <paramref name="keyCount"/> keys runs (1: scalar parameters; more: lists), for plans and messages.</summary>
    public string LookupSql(int keyCount) => keyCount == 1 || Keys.Count == 0 ? _queries.Single : _queries.Batched;

    /// <summary>
    /// Asks the source for the query's columns (running it for no rows) and maps each column to a feature of
    /// <see cref="Entity"/>; done once, later calls return the same answer.
    /// </summary>
    /// <exception cref="SqlResolverException">The query fails on the source, or a column maps to no feature, to two, or has a type the feature cannot read.</exception>
    /// <exception cref="DataSourceException">The source is unavailable.</exception>
    public async Task<IReadOnlyList<SqlOutputColumn>> DescribeAsync(CancellationToken cancellationToken = default)
    {
        if (_described is { } done) return done.Outputs;
        Schema schema;
        try
        {
            var result = await Source.ReadAllAsync(_queries.Describe, _queries.PlaceholderParameters(), cancellationToken).ConfigureAwait(false);
            schema = result.Schema;
        }
        catch (DataSourceException e) when (e.ErrorKind is DataSourceErrorKind.QueryFailed or DataSourceErrorKind.UnsupportedType)
        {
            throw new SqlResolverException(Definition.File, 0, $"the query does not run on source '{Source.Name}' ({Source.Kind}): {e.Message}", e);
        }
        var outputs = SqlOutputMapping.Map(Definition, Entity, schema);
        _described = new Described(outputs, OutputSchema(outputs, withKey: true), OutputSchema(outputs, withKey: false));
        return outputs;
    }

    /// <summary>The rows for each key of a resolver with one parameter (<c>${user.id}</c>): <paramref name="keys"/>[i] is the i-th lookup's value.</summary>
    /// <exception cref="DataSourceException">The source failed or is unavailable, or the resolver's timeout passed.</exception>
    /// <exception cref="ArgumentException">The resolver does not have exactly one parameter, or a key is of the wrong type.</exception>
    public Task<SqlResolverResult> LookupAsync(IReadOnlyList<object?> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (Keys.Count != 1)
            throw new ArgumentException($"Resolver '{Name}' has {Keys.Count} parameters; look it up with LookupTuplesAsync, one value per parameter.", nameof(keys));
        return LookupTuplesAsync(keys.Select(k => (IReadOnlyList<object?>)[k]).ToList(), cancellationToken);
    }

    /// <summary>The rows for each lookup: <paramref name="keys"/>[i][j] is the value of parameter j (of <see cref="Keys"/>) in lookup i.</summary>
    /// <exception cref="DataSourceException">The source failed or is unavailable, or the resolver's timeout passed.</exception>
    /// <exception cref="ArgumentException">A lookup has the wrong number of values, or a value of the wrong type.</exception>
    public async Task<SqlResolverResult> LookupTuplesAsync(IReadOnlyList<IReadOnlyList<object?>> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (Keys.Count == 0) throw new ArgumentException($"Resolver '{Name}' has no parameters; read it with ScanAsync.", nameof(keys));
        await DescribeAsync(cancellationToken).ConfigureAwait(false);
        var described = _described!;

        // Lookups with a null key have no rows: only the others are sent, and positions are mapped back.
        var sent = new List<int>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Count != Keys.Count)
                throw new ArgumentException($"Lookup {i} of resolver '{Name}' has {keys[i].Count} values; it needs one per parameter ({string.Join(", ", Keys.Select(k => k.Reference))}).", nameof(keys));
            if (keys[i].All(v => v is not null)) sent.Add(i);
        }
        if (sent.Count == 0) return new SqlResolverResult(described.LookupSchema, [EmptyArrays.Batch(described.LookupSchema)], keys.Count);

        var (sql, parameters) = sent.Count == 1
            ? (_queries.Single, _queries.ScalarParameters(keys[sent[0]]))
            : (_queries.Batched, _queries.ListParameters(sent.Select(i => keys[i]).ToList()));
        var batches = new List<RecordBatch>();
        await foreach (var batch in RunAsync(sql, parameters, cancellationToken).ConfigureAwait(false))
            batches.Add(ToOutput(batch, described, sent));
        return new SqlResolverResult(described.LookupSchema, batches, keys.Count);
    }

    /// <summary>Every row of a resolver without parameters, as batches of its output features (no key column).</summary>
    /// <exception cref="DataSourceException">The source failed or is unavailable, or the resolver's timeout passed.</exception>
    public async IAsyncEnumerable<RecordBatch> ScanAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Keys.Count > 0) throw new InvalidOperationException($"Resolver '{Name}' is a lookup by {string.Join(", ", Keys.Select(k => k.Reference))}; call LookupAsync.");
        await DescribeAsync(cancellationToken).ConfigureAwait(false);
        var described = _described!;
        await foreach (var batch in RunAsync(_queries.Single, [], cancellationToken).ConfigureAwait(false))
            yield return ToOutput(batch, described, null);
    }

    /// <summary>Runs a query under the resolver's timeout, turning the timeout into a <see cref="DataSourceException"/>.</summary>
    private async IAsyncEnumerable<RecordBatch> RunAsync(string sql, IReadOnlyList<SqlParameterValue> parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A linked source and its timer only when the resolver sets a timeout (the engine's own deadline covers the others).
        using var limit = Definition.Timeout is not null ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        limit?.CancelAfter(Definition.Timeout!.Value);
        var token = limit?.Token ?? cancellationToken;
        var batches = Source.QueryAsync(sql, parameters, token).GetAsyncEnumerator(token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await batches.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && Definition.Timeout is { } late)
                {
                    throw new DataSourceException(Source.Name, DataSourceErrorKind.Timeout,
                        $"resolver '{Name}' ({Definition.File}) did not answer within its timeout of {late.TotalMilliseconds:0.###} ms", e);
                }
                if (!more) yield break;
                yield return batches.Current;
            }
        }
        finally
        {
            await batches.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A source batch as the resolver's output: the lookup index (mapped back to the caller's positions through
    /// <paramref name="sent"/>) for lookups, then each output column, widened where its feature needs it.
    /// </summary>
    private RecordBatch ToOutput(RecordBatch batch, Described described, List<int>? sent)
    {
        var columns = new List<IArrowArray>();
        var offset = 0;
        if (sent is not null)
        {
            offset = 1;
            var positions = (Int32Array)batch.Column(0);
            var keys = new Int32Array.Builder().Reserve(batch.Length);
            for (var row = 0; row < batch.Length; row++) keys.Append(sent[positions.GetValue(row)!.Value]);
            columns.Add(keys.Build(ManagedMemoryAllocator.Instance));
        }
        foreach (var output in described.Outputs)
        {
            var column = batch.Column(output.Index + offset);
            var field = batch.Schema.GetFieldByIndex(output.Index + offset);
            if (field.Name != output.Column || !ArrowTypes.Comparer.Equals(field.DataType, output.SourceType))
                throw new DataSourceException(Source.Name, DataSourceErrorKind.QueryFailed,
                    $"resolver '{Name}' ({Definition.File}): column {output.Index + 1} was '{output.Column}' ({output.SourceType.Name}) when described and is now '{field.Name}' ({field.DataType.Name}); the table changed: restart the engine");
            columns.Add(output.IsWidened ? ColumnWidening.Widen(column, output.Type) : column);
        }
        return new RecordBatch(sent is null ? described.ScanSchema : described.LookupSchema, columns, batch.Length);
    }

    private static Schema OutputSchema(IReadOnlyList<SqlOutputColumn> outputs, bool withKey)
    {
        var fields = new List<Field>();
        if (withKey) fields.Add(new Field(SqlResolverResult.KeyColumn, Int32Type.Default, nullable: false));
        fields.AddRange(outputs.Select(o => new Field(o.Feature.Name, o.Type, nullable: true)));
        return new Schema(fields, null);
    }

    /// <summary>The answer of <see cref="DescribeAsync"/>, published at once so that concurrent lookups see all of it or none.</summary>
    private sealed record Described(IReadOnlyList<SqlOutputColumn> Outputs, Schema LookupSchema, Schema ScanSchema);
}

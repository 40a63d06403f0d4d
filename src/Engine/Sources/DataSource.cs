using Apache.Arrow;

namespace Dsl.Engine.Sources;

/// <summary>
/// A named database the engine reads features from: SQL in, Apache.Arrow record batches out. Built once, shared by
/// every query (it owns its connections or pool), disposed once.
/// </summary>
/// <remarks>
/// Invariants of <see cref="QueryAsync"/>: it yields at least one batch (a zero-row batch carrying the schema when
/// the result is empty), every batch has the same schema, and each batch stays valid after the next is read.
/// Failures are <see cref="DataSourceException"/>s naming the source; cancellation by the caller's token is an
/// <see cref="OperationCanceledException"/>.
/// </remarks>
public abstract class DataSource : IAsyncDisposable
{
    /// <summary>A source called <paramref name="name"/> (the name <c>-- source:</c> headers use).</summary>
    protected DataSource(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A data source needs a name.", nameof(name));
        Name = name;
    }

    /// <summary>The name SQL resolvers refer to it by (<c>-- source: warehouse</c>).</summary>
    public string Name { get; }

    /// <summary>The kind of database, for messages and plans: <c>duckdb</c>, <c>postgres</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Whether <see cref="QueryAsync"/> never blocks its caller (the client's I/O is asynchronous throughout, as Npgsql's is), so a
    /// resolver may start it on the query's own thread; false (the default) runs each call on the thread pool, which a source whose
    /// client blocks needs so that its resolver's timeout holds.
    /// </summary>
    internal virtual bool StartsWithoutBlocking => false;

    /// <summary>How the named parameter <paramref name="name"/> is written in this source's SQL (<c>$name</c>, <c>@name</c>).</summary>
    public abstract string Placeholder(string name);

    /// <summary>
    /// A relation (to place in a FROM clause) with one row per position of the equally long list parameters
    /// <paramref name="listParameters"/>: column <paramref name="columns"/>[i] holds the i-th list's element, and
    /// <paramref name="ordinalColumn"/> the position, counted from 1. Batched lookups join their query to it laterally.
    /// </summary>
    public abstract string ListRelation(IReadOnlyList<string> listParameters, IReadOnlyList<string> columns, string ordinalColumn, string alias);

    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameters"/> and streams the result as Arrow batches.</summary>
    /// <exception cref="DataSourceException">The source is unreachable, the query failed, or a column has a type with no Arrow counterpart.</exception>
    public abstract IAsyncEnumerable<RecordBatch> QueryAsync(string sql, IReadOnlyList<SqlParameterValue> parameters, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="sql"/> and collects the whole result (for lookups, whose results are small).</summary>
    /// <exception cref="DataSourceException">As <see cref="QueryAsync"/>.</exception>
    public async Task<SourceResult> ReadAllAsync(string sql, IReadOnlyList<SqlParameterValue> parameters, CancellationToken cancellationToken = default)
    {
        var batches = new List<RecordBatch>();
        await foreach (var batch in QueryAsync(sql, parameters, cancellationToken).ConfigureAwait(false)) batches.Add(batch);
        return new SourceResult(batches[0].Schema, batches);
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind})";
}

/// <summary>A named parameter of a query; a list parameter's value is a CLR array (<c>long[]</c>, <c>string[]</c>).</summary>
/// <param name="Name">The name, without the source's prefix (<c>k0</c>, written <c>$k0</c> or <c>@k0</c>).</param>
/// <param name="Value">The value: null, a scalar, or an array for a list parameter.</param>
public sealed record SqlParameterValue(string Name, object? Value);

/// <summary>A whole query result: its schema and its batches (at least one; all with <see cref="Schema"/>).</summary>
public sealed record SourceResult(Schema Schema, IReadOnlyList<RecordBatch> Batches)
{
    /// <summary>The number of rows over all batches.</summary>
    public long RowCount => Batches.Sum(b => (long)b.Length);
}

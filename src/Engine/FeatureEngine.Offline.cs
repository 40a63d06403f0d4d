using Apache.Arrow;
using Dsl.Engine.Offline;
using Dsl.Engine.Planning;

namespace Dsl.Engine;

public sealed partial class FeatureEngine
{
    private readonly IOfflineStore? _offline;

    /// <summary>The offline store, or null when none is configured.</summary>
    public IOfflineStore? OfflineStore => _offline;

    /// <summary>
    /// Answers an offline query: for each spine row (an entity key and a time), each output's value as of that time — the latest
    /// stored value at or before it, or (with <see cref="OfflineQueryOptions.Recompute"/>, and for features the store has no
    /// value of) the value an online query at that time computes. One result row per spine row, in spine order.
    /// </summary>
    /// <exception cref="QueryException">The spine or the outputs are malformed (checked before any work; the message names the column or feature).</exception>
    public async Task<OfflineResult> OfflineQueryAsync(RecordBatch spine, IReadOnlyList<string> outputs, OfflineQueryOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= OfflineQueryOptions.Default;
        return await new OfflineQuery(this, OfflineSpine.Read(Graph, spine, outputs, options), options).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An offline query whose spine is the Parquet (or Arrow) file at <paramref name="spinePath"/>; only its key and time columns are read.</summary>
    /// <exception cref="QueryException">The spine or the outputs are malformed.</exception>
    public async Task<OfflineResult> OfflineQueryAsync(string spinePath, IReadOnlyList<string> outputs, OfflineQueryOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= OfflineQueryOptions.Default;
        var spine = await OfflineSpine.ReadAsync(Graph, spinePath, outputs, options, cancellationToken).ConfigureAwait(false);
        return await new OfflineQuery(this, spine, options).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends wide rows to the offline store: a key column, a time column (each row's feature time) and one column per feature
    /// of <paramref name="entity"/> (named as the feature, of its type). Returns the number of values stored.
    /// </summary>
    /// <exception cref="QueryException">No offline store, or a column is missing, unknown or of the wrong type (checked before anything is written).</exception>
    public Task<long> IngestAsync(string entity, RecordBatch rows, IngestOptions? options = null, CancellationToken cancellationToken = default) =>
        OfflineIngest.RunAsync(Graph, RequireOffline(), entity, [rows], options ?? IngestOptions.Default, cancellationToken);

    /// <summary>Appends the wide rows of the Parquet (or Arrow) file at <paramref name="path"/>, batch by batch.</summary>
    /// <exception cref="QueryException">No offline store, or the file's columns do not fit the entity.</exception>
    public Task<long> IngestAsync(string entity, string path, IngestOptions? options = null, CancellationToken cancellationToken = default) =>
        OfflineIngest.RunFileAsync(Graph, RequireOffline(), entity, path, options ?? IngestOptions.Default, cancellationToken);

    /// <summary>Recomputes one entity's outputs at <paramref name="now"/> as an online query would, reusing <paramref name="calls"/>.</summary>
    internal async Task<Answer> RecomputeAsync(ParsedQuery query, DateTime now, ResolverCallCache calls, CancellationToken cancellationToken) =>
        (await ComputeAsync(query, now, StoredValues.None, calls, cancellationToken).ConfigureAwait(false)).Answer;

    private IOfflineStore RequireOffline() =>
        _offline ?? throw new QueryException("The engine has no offline store; configure one with FeatureEngineBuilder.UseOfflineStore.");

    /// <summary>Appends what an online query computed to the offline store (feature time: the query's time); a failure is reported, not thrown.</summary>
    private async Task<string?> AppendOfflineAsync(IReadOnlyList<ParsedQuery> queries, IReadOnlyList<Answer> answers, DateTime now, CancellationToken cancellationToken)
    {
        if (_offline is null) return null;
        var written = DateTime.UtcNow;
        var writes = queries.Zip(answers)
            .Where(qa => qa.First.Key is not null)
            .SelectMany(qa => qa.Second.Computed.Select(c =>
                new OfflineWrite(qa.First.Entity.Name, qa.First.Key!, c.Key, c.Value, qa.First.Entity.Features[c.Key].Type, now, written)))
            .ToList();
        if (writes.Count == 0) return null;
        try
        {
            await _offline.AppendAsync(writes, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return $"the computed values could not be appended to the offline store: {e.Message}";
        }
    }
}

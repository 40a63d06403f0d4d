using Dsl.Engine.Graph;
using Dsl.Engine.Store;

namespace Dsl.Engine.Planning;

/// <summary>
/// Reads fresh values from the online store before a query is planned and writes computed values with a nonzero staleness back.
/// A store that fails is not a failed query: the values are computed, and the problem is reported in the metadata.
/// </summary>
/// <remarks>
/// Ages are measured on the query's time (<see cref="QueryOptions.Now"/>, the clock by default): a value is fresh when it was
/// written at most its feature's staleness before now and not after it (a query as of the past does not read later values).
/// </remarks>
internal sealed class StoreAccess(IOnlineStore store)
{
    public IOnlineStore Store => store;

    /// <summary>The fresh stored values of each query's features with a staleness (one <c>MGET</c> for all), in the queries' order.</summary>
    public async Task<IReadOnlyList<StoredValues>> ReadAsync(IReadOnlyList<ParsedQuery> queries, DateTime now, CancellationToken cancellationToken)
    {
        var keys = new List<FeatureKey>(queries.Count * queries[0].Staleness.Count);
        foreach (var query in queries)
        {
            if (query.Key is not { } key) continue;
            var keyText = FeatureKey.For(query.Entity.Name, key, "").EntityKey;
            foreach (var feature in query.Staleness.Keys) keys.Add(new FeatureKey(query.Entity.Name, keyText, feature));
        }
        if (keys.Count == 0) return [.. queries.Select(_ => StoredValues.None)];

        IReadOnlyList<StoredValue?> stored;
        try
        {
            stored = await store.GetAsync(keys, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var problem = new StoredValues(new Dictionary<string, (object?, TimeSpan)>(), $"the online store could not be read, so every value was computed: {e.Message}");
            return [.. queries.Select(_ => problem)];
        }

        var results = new List<StoredValues>(queries.Count);
        var next = 0;
        foreach (var query in queries)
        {
            if (query.Key is null)
            {
                results.Add(StoredValues.None);
                continue;
            }
            var fresh = new Dictionary<string, (object?, TimeSpan)>(query.Staleness.Count, StringComparer.Ordinal);
            foreach (var (feature, limit) in query.Staleness)
            {
                if (stored[next++] is not { } value) continue;
                var age = value.AgeAt(now);
                if (age >= TimeSpan.Zero && (limit == Staleness.Infinite || age <= limit)) fresh[feature] = (value.Value, age);
            }
            results.Add(new StoredValues(fresh, null));
        }
        return results;
    }

    /// <summary>Writes every query's computed values of features with a staleness (one pipelined batch); the problem, or null.</summary>
    public async Task<string?> WriteAsync(IReadOnlyList<ParsedQuery> queries, IReadOnlyList<Answer> answers, DateTime now, CancellationToken cancellationToken)
    {
        var writes = new List<FeatureWrite>();
        for (var i = 0; i < queries.Count; i++)
        {
            if (queries[i].Key is not { } key) continue;
            foreach (var (feature, value) in answers[i].Computed)
            {
                if (queries[i].Staleness.TryGetValue(feature, out var staleness))
                    writes.Add(new FeatureWrite(FeatureKey.For(queries[i].Entity.Name, key, feature), value, now, staleness));
            }
        }
        if (writes.Count == 0) return null;
        try
        {
            await store.SetAsync(writes, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return $"the computed values could not be written to the online store: {e.Message}";
        }
    }
}

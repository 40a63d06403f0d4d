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

    public async Task<StoredValues> ReadAsync(ParsedQuery query, DateTime now, CancellationToken cancellationToken)
    {
        if (query.Key is not { } key) return StoredValues.None;
        var features = query.Staleness.Keys.ToList();
        IReadOnlyList<StoredValue?> stored;
        try
        {
            stored = await store.GetAsync(features.Select(f => FeatureKey.For(query.Entity.Name, key, f)).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new StoredValues(new Dictionary<string, (object?, TimeSpan)>(), $"the online store could not be read, so every value was computed: {e.Message}");
        }

        var fresh = new Dictionary<string, (object?, TimeSpan)>(StringComparer.Ordinal);
        for (var i = 0; i < features.Count; i++)
        {
            if (stored[i] is not { } value) continue;
            var age = value.AgeAt(now);
            var limit = query.Staleness[features[i]];
            if (age >= TimeSpan.Zero && (limit == Staleness.Infinite || age <= limit)) fresh[features[i]] = (value.Value, age);
        }
        return new StoredValues(fresh, null);
    }

    public async Task<string?> WriteAsync(ParsedQuery query, Answer answer, DateTime now, CancellationToken cancellationToken)
    {
        if (query.Key is not { } key) return null;
        var writes = answer.Computed.Where(c => query.Staleness.ContainsKey(c.Key))
            .Select(c => new FeatureWrite(FeatureKey.For(query.Entity.Name, key, c.Key), c.Value, now, query.Staleness[c.Key]))
            .ToList();
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

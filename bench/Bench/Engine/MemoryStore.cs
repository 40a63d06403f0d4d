using System.Collections.Concurrent;
using Dsl.Engine.Store;

namespace Dsl.Bench.Engine;

/// <summary>
/// An online store in a dictionary (no network, no server): with it the cached run measures the engine's own work around the
/// store — parsing the query, planning, reading, answering — apart from the Redis protocol's round trip.
/// </summary>
internal sealed class MemoryStore : IOnlineStore
{
    private readonly ConcurrentDictionary<FeatureKey, StoredValue> _values = new();

    public string Description => "memory (bench)";

    public Task<IReadOnlyList<StoredValue?>> GetAsync(IReadOnlyList<FeatureKey> keys, CancellationToken cancellationToken = default)
    {
        var values = new StoredValue?[keys.Count];
        for (var i = 0; i < keys.Count; i++) values[i] = _values.GetValueOrDefault(keys[i]);
        return Task.FromResult<IReadOnlyList<StoredValue?>>(values);
    }

    public Task SetAsync(IReadOnlyList<FeatureWrite> writes, CancellationToken cancellationToken = default)
    {
        foreach (var write in writes) _values[write.Key] = new StoredValue(write.Value, write.WrittenAt);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

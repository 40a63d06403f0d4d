using Dsl.Engine.Planning;

namespace Dsl.Engine;

public sealed partial class FeatureEngine
{
    private readonly StoreAccess? _store;

    private Task<StoredValues> ReadStoreAsync(ParsedQuery query, DateTime now, CancellationToken cancellationToken) =>
        _store is null || query.Staleness.Count == 0 ? Task.FromResult(StoredValues.None) : _store.ReadAsync(query, now, cancellationToken);

    private Task<string?> WriteStoreAsync(ParsedQuery query, Answer answer, DateTime now, CancellationToken cancellationToken) =>
        _store is null ? Task.FromResult<string?>(null) : _store.WriteAsync(query, answer, now, cancellationToken);
}

using Dsl.Engine.Planning;

namespace Dsl.Engine;

public sealed partial class FeatureEngine
{
    private readonly StoreAccess? _store;

    private Task<IReadOnlyList<StoredValues>> ReadStoreAsync(IReadOnlyList<ParsedQuery> queries, DateTime now, CancellationToken cancellationToken) =>
        _store is null || queries[0].Staleness.Count == 0
            ? Task.FromResult<IReadOnlyList<StoredValues>>([.. queries.Select(_ => StoredValues.None)])
            : _store.ReadAsync(queries, now, cancellationToken);

    private Task<string?> WriteStoreAsync(IReadOnlyList<ParsedQuery> queries, IReadOnlyList<Answer> answers, DateTime now, CancellationToken cancellationToken) =>
        _store is null ? Task.FromResult<string?>(null) : _store.WriteAsync(queries, answers, now, cancellationToken);
}

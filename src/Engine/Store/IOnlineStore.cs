namespace Dsl.Engine.Store;

/// <summary>
/// The online store: feature values computed earlier, each with the time it was written, kept for as long as the
/// feature's maximum staleness allows. An online query reads the values still fresh enough and computes the rest.
/// </summary>
/// <remarks>
/// A store that cannot be reached throws <see cref="OnlineStoreUnavailableException"/> from every call, so the planner
/// can answer without the cache and say so. Values are null, <see cref="double"/>, <see cref="long"/>, <see cref="int"/>,
/// <see cref="float"/>, <see cref="bool"/>, <see cref="string"/>, <see cref="DateTime"/> (UTC), <see cref="decimal"/>,
/// <see cref="TimeSpan"/> or <see cref="DateOnly"/>, and read back as the same type (<see cref="StoredValueCodec"/>).
/// </remarks>
public interface IOnlineStore : IAsyncDisposable
{
    /// <summary>What the store is and where, for plans and messages (<c>redis 127.0.0.1:6379</c>).</summary>
    string Description { get; }

    /// <summary>The stored value of each key, in order; null where nothing is stored (never written, expired, or unreadable). One round trip.</summary>
    /// <exception cref="OnlineStoreUnavailableException">The store cannot be reached or did not answer in time.</exception>
    Task<IReadOnlyList<StoredValue?>> GetAsync(IReadOnlyList<FeatureKey> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores each value with its write time, to expire after its maximum staleness (<see cref="FeatureWrite.MaxStaleness"/>):
    /// a zero staleness is not stored at all, an infinite one never expires. One round trip.
    /// </summary>
    /// <exception cref="OnlineStoreUnavailableException">The store cannot be reached or did not answer in time.</exception>
    /// <exception cref="ArgumentException">A value is of a type the store cannot hold.</exception>
    Task SetAsync(IReadOnlyList<FeatureWrite> writes, CancellationToken cancellationToken = default);
}

/// <summary>One feature of one entity in the store: <c>User</c>, key <c>42</c>, feature <c>TotalSpend</c>.</summary>
/// <param name="Entity">The entity's name (its class name).</param>
/// <param name="EntityKey">The entity's primary key as text (<see cref="For"/> writes numbers invariantly).</param>
/// <param name="Feature">The feature's name.</param>
public readonly record struct FeatureKey(string Entity, string EntityKey, string Feature)
{
    /// <summary>The key of <paramref name="feature"/> of the <paramref name="entity"/> whose primary key is <paramref name="key"/>.</summary>
    public static FeatureKey For(string entity, object key, string feature) =>
        new(entity, Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "", feature);
}

/// <summary>A value read from the store.</summary>
/// <param name="Value">The value (null for a stored null), of the type it was written with.</param>
/// <param name="WrittenAt">When it was written (UTC): its age is the query's time minus this.</param>
public sealed record StoredValue(object? Value, DateTime WrittenAt)
{
    /// <summary>How old the value is at <paramref name="now"/>.</summary>
    public TimeSpan AgeAt(DateTime now) => now - WrittenAt;
}

/// <summary>A value to store.</summary>
/// <param name="Key">Which feature of which entity.</param>
/// <param name="Value">The value (null allowed).</param>
/// <param name="WrittenAt">When it was computed (UTC).</param>
/// <param name="MaxStaleness">
/// How long it may be served: <see cref="TimeSpan.Zero"/> (not stored), a positive duration (the store drops it after that
/// long), or <see cref="Timeout.InfiniteTimeSpan"/> (kept until overwritten).
/// </param>
public sealed record FeatureWrite(FeatureKey Key, object? Value, DateTime WrittenAt, TimeSpan MaxStaleness);

/// <summary>The online store cannot be reached or did not answer in time: queries compute without it.</summary>
public sealed class OnlineStoreUnavailableException : Exception
{
    /// <summary>An error of the store described by <paramref name="store"/>.</summary>
    public OnlineStoreUnavailableException(string store, string message, Exception? inner = null)
        : base($"Online store {store}: {message}", inner)
    {
        Store = store;
    }

    /// <summary>The store's description.</summary>
    public string Store { get; }
}

using Apache.Arrow;

namespace Dsl.Engine.Offline;

/// <summary>
/// The offline store: every value of every feature the engine computed, ingested or was streamed, each with its entity key,
/// its feature time (the time it is the value as of) and its write time, kept for good. Offline queries read it point in time:
/// for a row at time T, the latest value whose feature time is at or before T (<see cref="OfflineQueryOptions"/>).
/// </summary>
/// <remarks>
/// Values of one feature of one entity are appended as batches of <see cref="OfflineColumns"/>: <c>key</c> (the entity key's
/// type), <c>value</c> (the feature's type), <c>feature_time</c> (a timestamp) and optionally <c>write_time</c> (a timestamp;
/// the store's clock when absent). The store numbers every row it accepts (<c>write_seq</c>, increasing in append order), so
/// values with equal feature and write times are ordered by when they were appended: the last one appended wins.
/// </remarks>
public interface IOfflineStore : IAsyncDisposable
{
    /// <summary>What the store is and where, for messages (<c>parquet /data/offline</c>).</summary>
    string Description { get; }

    /// <summary>
    /// Appends <paramref name="rows"/> as values of <paramref name="entity"/>.<paramref name="feature"/> (names as the graph spells
    /// them: <c>User</c>, <c>TotalSpend</c>), durably: when the task completes the rows survive a crash; a crash before it loses
    /// at most these rows, never earlier ones.
    /// </summary>
    /// <exception cref="ArgumentException">A column is missing or of a type other than earlier appends of the feature, or a time is null.</exception>
    Task AppendAsync(string entity, string feature, RecordBatch rows, CancellationToken cancellationToken = default);

    /// <summary>The features of <paramref name="entity"/> that have stored values.</summary>
    IReadOnlyList<string> Features(string entity);

    /// <summary>
    /// Every stored row of <paramref name="entity"/>.<paramref name="feature"/> as batches of <c>key</c>, <c>value</c>,
    /// <c>feature_time</c>, <c>write_time</c> (timestamp[us, UTC]) and <c>write_seq</c> (int64), in no particular order.
    /// </summary>
    IAsyncEnumerable<RecordBatch> ReadAsync(string entity, string feature, CancellationToken cancellationToken = default);
}

/// <summary>The column names of offline store batches and files.</summary>
public static class OfflineColumns
{
    /// <summary>The entity's key (its primary key's type: int64, utf8…).</summary>
    public const string Key = "key";

    /// <summary>The value (the feature's type; nulls allowed).</summary>
    public const string Value = "value";

    /// <summary>The time the value is the feature's value as of: an online query's <c>now</c>, an event's time (timestamp[us, UTC]).</summary>
    public const string FeatureTime = "feature_time";

    /// <summary>When the value was written to the store (timestamp[us, UTC]).</summary>
    public const string WriteTime = "write_time";

    /// <summary>The store's number for the row, increasing in append order (int64): the last tie-breaker.</summary>
    public const string WriteSequence = "write_seq";
}

/// <summary>One value to append row-wise (<see cref="OfflineStoreExtensions.AppendAsync(IOfflineStore, IReadOnlyList{OfflineWrite}, CancellationToken)"/>).</summary>
/// <param name="Entity">The entity's name (<c>User</c>).</param>
/// <param name="Key">The entity's primary key value (<c>42L</c>, <c>"u-42"</c>).</param>
/// <param name="Feature">The feature's name (<c>TotalSpend</c>).</param>
/// <param name="Value">The value (null allowed), of <paramref name="ValueType"/>.</param>
/// <param name="ValueType">The feature's CLR type (<c>typeof(double)</c>, <c>typeof(long?)</c>), which types the stored column.</param>
/// <param name="FeatureTime">The time it is the value as of (UTC).</param>
/// <param name="WrittenAt">When it was written (UTC); the store's clock when null.</param>
public sealed record OfflineWrite(string Entity, object Key, string Feature, object? Value, Type ValueType, DateTime FeatureTime, DateTime? WrittenAt = null);

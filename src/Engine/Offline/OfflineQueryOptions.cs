namespace Dsl.Engine.Offline;

/// <summary>Settings of one offline query .</summary>
public sealed record OfflineQueryOptions
{
    /// <summary>The defaults: key and time columns found by name and type, stored values where there are any, no time to live.</summary>
    public static OfflineQueryOptions Default { get; } = new();

    /// <summary>
    /// The spine's entity key column; null: the column named like the entity's primary key (<c>id</c>, <c>user_id</c>), by the
    /// DSL's name rules.
    /// </summary>
    public string? KeyColumn { get; init; }

    /// <summary>The spine's timestamp column; null: its only timestamp column.</summary>
    public string? TimeColumn { get; init; }

    /// <summary>
    /// Recompute every output through the resolvers and the feature definitions with <c>Now</c> = each row's time, even when
    /// the store has values. Features with no stored value at all are recomputed whatever this says.
    /// </summary>
    public bool Recompute { get; init; }

    /// <summary>A stored value older than this at the row's time (row time − feature time &gt; it) reads as null; null: no limit.</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>Per feature (<c>user.total_spend</c>), a time to live replacing <see cref="TimeToLive"/>.</summary>
    public IReadOnlyDictionary<string, TimeSpan>? TimeToLivePerFeature { get; init; }

    /// <summary>
    /// The most spine rows joined at once: a larger spine is split by key hash into partitions of about this many rows, each
    /// joined alone, so memory does not grow with the spine.
    /// </summary>
    public int PartitionRows { get; init; } = 1 << 20;

    /// <summary>Told how far the query is, after each partition.</summary>
    public IProgress<OfflineProgress>? Progress { get; init; }
}

/// <summary>How far an offline query is.</summary>
/// <param name="RowsDone">Spine rows answered so far.</param>
/// <param name="Rows">Spine rows in all.</param>
public sealed record OfflineProgress(long RowsDone, long Rows);

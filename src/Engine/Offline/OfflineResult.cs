using Apache.Arrow;

namespace Dsl.Engine.Offline;

/// <summary>
/// An offline query's answer: one row per spine row, in spine order — the spine's key and time columns, then one column per
/// output named as the feature (<c>User.TotalSpend</c>), of its type — and where the values came from.
/// </summary>
public sealed class OfflineResult
{
    internal OfflineResult(RecordBatch batch, IReadOnlyList<OfflineFeatureSummary> features, TimeSpan elapsed)
    {
        Batch = batch;
        Features = features;
        Elapsed = elapsed;
    }

    /// <summary>The training set.</summary>
    public RecordBatch Batch { get; }

    /// <summary>Per output, in the order asked: stored or recomputed, and how many rows have a value.</summary>
    public IReadOnlyList<OfflineFeatureSummary> Features { get; }

    /// <summary>The whole query's time.</summary>
    public TimeSpan Elapsed { get; }
}

/// <summary>How one output of an offline query was answered.</summary>
/// <param name="Feature">The feature (<c>User.TotalSpend</c>).</param>
/// <param name="Recomputed">True when computed with <c>Now</c> = each row's time; false when read from the offline store.</param>
/// <param name="Values">Rows with a (non-null) value.</param>
/// <param name="Errors">Rows whose recomputation failed (null in the result); the first error is <paramref name="FirstError"/>.</param>
/// <param name="FirstError">The first failure, or null.</param>
public sealed record OfflineFeatureSummary(string Feature, bool Recomputed, long Values, long Errors, QueryError? FirstError);

using Apache.Arrow;
using Dsl.Engine.Values;

namespace Dsl.Engine.Offline;

/// <summary>Row-wise appends to an offline store (what the online engine and streams write: a few values at a time).</summary>
public static class OfflineStoreExtensions
{
    /// <summary>
    /// Appends <paramref name="writes"/>, grouped into one batch per entity and feature (in the order each group first appears;
    /// within a group, in the order given, which is their write order).
    /// </summary>
    /// <exception cref="InvalidCastException">A value or key is not of its declared type.</exception>
    public static async Task AppendAsync(this IOfflineStore store, IReadOnlyList<OfflineWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var group in writes.GroupBy(w => (w.Entity, w.Feature)))
        {
            var rows = group.ToList();
            var valueType = rows[0].ValueType;
            var batch = ArrowColumns.Batch(
            [
                (OfflineColumns.Key, rows[0].Key.GetType(), rows.Select(r => (object?)r.Key).ToList()),
                (OfflineColumns.Value, valueType, rows.Select(r => r.Value).ToList()),
                (OfflineColumns.FeatureTime, typeof(DateTime), rows.Select(r => (object?)r.FeatureTime).ToList()),
                (OfflineColumns.WriteTime, typeof(DateTime), rows.Select(r => (object?)(r.WrittenAt ?? DateTime.UtcNow)).ToList()),
            ], rows.Count);
            await store.AppendAsync(group.Key.Entity, group.Key.Feature, batch, cancellationToken).ConfigureAwait(false);
        }
    }
}

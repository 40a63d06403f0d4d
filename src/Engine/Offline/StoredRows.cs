using Apache.Arrow;
using Dsl.ArrowExtensions.Types;

namespace Dsl.Engine.Offline;

/// <summary>
/// The stored values of one feature for one partition of the spine's keys, sorted by (key, feature time, write time, write
/// sequence): for each key, its values in the order the tie rule ranks them, the last of equal feature times winning.
/// </summary>
internal sealed class StoredRows
{
    private StoredRows(long[] keys, long[] featureTimes, IArrowArray values)
    {
        Keys = keys;
        FeatureTimes = featureTimes;
        Values = values;
    }

    public long[] Keys { get; }

    public long[] FeatureTimes { get; }

    public IArrowArray Values { get; }

    public int Length => Keys.Length;

    /// <summary>Reads the rows of <paramref name="entity"/>.<paramref name="feature"/> whose keys fall in <paramref name="partition"/>.</summary>
    /// <exception cref="QueryException">The stored values are not of the feature's type or the key's.</exception>
    public static async Task<StoredRows> ReadAsync(IOfflineStore store, string entity, string feature, Apache.Arrow.Types.IArrowType valueType, SpineKeys spine,
        int partition, int partitions, CancellationToken cancellationToken)
    {
        var keys = new List<long>();
        var featureTimes = new List<long>();
        var writeTimes = new List<long>();
        var sequences = new List<long>();
        var values = new List<IArrowArray>();
        await foreach (var batch in store.ReadAsync(entity, feature, cancellationToken).ConfigureAwait(false))
        {
            var value = batch.Column(OfflineColumns.Value);
            if (ArrowTypes.Describe(value.Data.DataType) != ArrowTypes.Describe(valueType))
                throw new QueryException($"The offline store holds {entity}.{feature} as {ArrowTypes.Describe(value.Data.DataType)}, but the feature is {ArrowTypes.Describe(valueType)}.");
            var key = batch.Column(OfflineColumns.Key);
            var featureTime = OfflineArrays.MicrosOf(batch.Column(OfflineColumns.FeatureTime), "feature_time");
            var writeTime = OfflineArrays.MicrosOf(batch.Column(OfflineColumns.WriteTime), "write_time");
            var sequence = ((Int64Array)batch.Column(OfflineColumns.WriteSequence)).Values;
            var kept = new List<int>();
            for (var i = 0; i < batch.Length; i++)
            {
                if (!spine.TryCode(key, i, out var code) || SpineKeys.Partition(code, partitions) != partition) continue;
                kept.Add(i);
                keys.Add(code);
                featureTimes.Add(featureTime[i]);
                writeTimes.Add(writeTime[i]);
                sequences.Add(sequence[i]);
            }
            if (kept.Count > 0) values.Add(kept.Count == batch.Length ? value : Runtime.Execution.Relations.ColumnGather.Take(value, [.. kept]));
        }

        var order = Enumerable.Range(0, keys.Count).ToArray();
        System.Array.Sort(order, (a, b) =>
        {
            var c = keys[a].CompareTo(keys[b]);
            if (c == 0) c = featureTimes[a].CompareTo(featureTimes[b]);
            if (c == 0) c = writeTimes[a].CompareTo(writeTimes[b]);
            return c != 0 ? c : sequences[a].CompareTo(sequences[b]);
        });
        var all = values.Count switch
        {
            0 => Runtime.Execution.Relations.ColumnGather.Take(Dsl.Engine.Values.ArrowColumns.Build(typeof(long), [null]), []),
            1 => values[0],
            _ => ArrowArrayConcatenator.Concatenate(values),
        };
        return new StoredRows([.. order.Select(i => keys[i])], [.. order.Select(i => featureTimes[i])],
            values.Count == 0 ? all : Runtime.Execution.Relations.ColumnGather.Take(all, order));
    }
}

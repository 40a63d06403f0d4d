using Apache.Arrow;
using Dsl.Engine.Offline;
using Dsl.Engine.Store;
using Dsl.Engine.Values;
using Dsl.Streams.Definition;

namespace Dsl.Streams.Processing;

/// <summary>The rows of a batch whose features are written, and what the stores are given for them.</summary>
internal static class ResultWriters
{
    /// <summary>One online store write per output feature of each written row, at the message's time, kept for the feature's staleness.</summary>
    public static List<FeatureWrite> Online(StreamResolver resolver, RecordBatch output, IReadOnlyList<int> rows, IReadOnlyList<DateTime> times)
    {
        var writes = new List<FeatureWrite>(rows.Count * resolver.Outputs.Count);
        var key = output.Column(resolver.KeyFeature);
        var columns = resolver.Outputs.Select(o => output.Column(o.Feature)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            // The key as FeatureKey.For writes it, once per row rather than once per feature.
            var entityKey = FeatureKey.For(resolver.EntityName, ArrowCells.Read(key, rows[r])!, "").EntityKey;
            for (var f = 0; f < columns.Length; f++)
                writes.Add(new FeatureWrite(new FeatureKey(resolver.EntityName, entityKey, resolver.Outputs[f].Feature), ArrowCells.Read(columns[f], rows[r]), times[r], resolver.Outputs[f].MaxStaleness));
        }
        return writes;
    }

    /// <summary>One offline store value per output feature (the key excepted) of each written row, its feature time the message's time.</summary>
    public static List<OfflineWrite> Offline(StreamResolver resolver, RecordBatch output, IReadOnlyList<int> rows, IReadOnlyList<DateTime> times, DateTime now)
    {
        var writes = new List<OfflineWrite>(rows.Count * resolver.Outputs.Count);
        var key = output.Column(resolver.KeyFeature);
        foreach (var feature in resolver.Outputs.Where(o => o.Feature != resolver.KeyFeature))
        {
            var column = output.Column(feature.Feature);
            for (var r = 0; r < rows.Count; r++)
                writes.Add(new OfflineWrite(resolver.EntityName, ArrowCells.Read(key, rows[r])!, feature.Feature, ArrowCells.Read(column, rows[r]), feature.Type, times[r], now));
        }
        return writes;
    }

    /// <summary>The online store key under which a deduplication key of <paramref name="resolver"/> is remembered.</summary>
    public static FeatureKey DeduplicationKey(StreamResolver resolver, string key) => new("$dedup." + resolver.Name.Replace(':', '_'), key, "seen");
}

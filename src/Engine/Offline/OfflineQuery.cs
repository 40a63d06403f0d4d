using System.Collections.Concurrent;
using System.Diagnostics;
using Apache.Arrow;
using Dsl.Engine.Planning;
using Dsl.Engine.Values;
using Dsl.Runtime.Execution.Relations;

namespace Dsl.Engine.Offline;

/// <summary>
/// One offline query's run: the point-in-time join of the spine with the store for the features that have stored values, by
/// partitions of the spine's keys (each partition's stored values read, sorted and merged alone), and recomputation of the rest.
/// </summary>
internal sealed class OfflineQuery(FeatureEngine engine, OfflineSpine spine, OfflineQueryOptions options)
{
    private readonly SpineKeys _keys = SpineKeys.Of(spine.Key);
    private long _done;

    public async Task<OfflineResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var entity = spine.Entity;
        var storedFeatures = options.Recompute || engine.OfflineStore is null ? [] : engine.OfflineStore.Features(entity.Name).ToHashSet(StringComparer.Ordinal);
        var fromStore = spine.Outputs.Where(storedFeatures.Contains).ToList();
        var recomputed = spine.Outputs.Where(o => !storedFeatures.Contains(o)).ToList();
        var ttls = Ttls();

        var columns = new Dictionary<string, IArrowArray>(StringComparer.Ordinal);
        var summaries = new Dictionary<string, OfflineFeatureSummary>(StringComparer.Ordinal);
        if (fromStore.Count > 0)
        {
            foreach (var (feature, column) in await JoinStoredAsync(fromStore, ttls, cancellationToken).ConfigureAwait(false))
            {
                columns[feature] = column;
                summaries[feature] = new OfflineFeatureSummary($"{entity.Name}.{feature}", false, column.Length - column.NullCount, 0, null);
            }
        }
        if (recomputed.Count > 0)
        {
            foreach (var (feature, column, errors, first) in await RecomputeAsync(recomputed, cancellationToken).ConfigureAwait(false))
            {
                columns[feature] = column;
                summaries[feature] = new OfflineFeatureSummary($"{entity.Name}.{feature}", true, column.Length - column.NullCount, errors, first);
            }
        }

        var fields = new List<Field> { new(spine.KeyName, spine.Key.Data.DataType, false), new(spine.TimeName, spine.Time.Data.DataType, false) };
        var arrays = new List<IArrowArray> { spine.Key, spine.Time };
        foreach (var output in spine.Outputs)
        {
            fields.Add(new Field($"{entity.Name}.{output}", columns[output].Data.DataType, true));
            arrays.Add(columns[output]);
        }
        return new OfflineResult(new RecordBatch(new Schema(fields, null), arrays, spine.Length), [.. spine.Outputs.Select(o => summaries[o])], clock.Elapsed);
    }

    /// <summary>Per stored feature, its column: the spine's rows split by key into partitions, each joined alone, then put back in spine order.</summary>
    private async Task<List<(string Feature, IArrowArray Column)>> JoinStoredAsync(List<string> features, Dictionary<string, long?> ttls, CancellationToken cancellationToken)
    {
        var partitions = (int)Math.Max(1, (spine.Length + (long)options.PartitionRows - 1) / Math.Max(1, options.PartitionRows));
        var rowsOf = Enumerable.Range(0, partitions).Select(_ => new List<int>()).ToArray();
        for (var row = 0; row < spine.Length; row++) rowsOf[SpineKeys.Partition(_keys.Codes[row], partitions)].Add(row);

        var pieces = features.ToDictionary(f => f, _ => new List<IArrowArray>(), StringComparer.Ordinal);
        var position = new int[spine.Length];
        var offset = 0;
        for (var p = 0; p < partitions; p++)
        {
            var rows = rowsOf[p].ToArray();
            rowsOf[p] = [];
            for (var i = 0; i < rows.Length; i++) position[rows[i]] = offset + i;
            offset += rows.Length;
            foreach (var feature in features)
            {
                var type = ArrowColumns.TypeOf(spine.Entity.Features[feature].Type);
                var stored = await StoredRows.ReadAsync(engine.OfflineStore!, spine.Entity.Name, feature, type, _keys, p, partitions, cancellationToken).ConfigureAwait(false);
                var matches = PointInTimeJoin.Match(_keys.Codes, spine.Micros, rows, stored, ttls[feature]);
                pieces[feature].Add(stored.Length == 0 ? ColumnGather.Take(ArrowColumns.Build(spine.Entity.Features[feature].Type, [null]), [.. matches.Select(_ => -1)])
                    : ColumnGather.Take(stored.Values, matches));
            }
            Report(rows.Length);
        }
        return [.. features.Select(f => (f, ColumnGather.Take(pieces[f].Count == 1 ? pieces[f][0] : ArrowArrayConcatenator.Concatenate(pieces[f]), position)))];
    }

    /// <summary>
    /// Each row's values as an online query at the row's time computes them (the same plans and executor), the rows of one entity
    /// taken together so each resolver call is made once per entity.
    /// </summary>
    private async Task<List<(string Feature, IArrowArray Column, long Errors, QueryError? First)>> RecomputeAsync(List<string> features, CancellationToken cancellationToken)
    {
        var entity = spine.Entity;
        var values = features.ToDictionary(f => f, _ => new object?[spine.Length], StringComparer.Ordinal);
        var errors = features.ToDictionary(f => f, _ => (Count: 0L, First: (QueryError?)null), StringComparer.Ordinal);
        var order = Enumerable.Range(0, spine.Length).ToArray();
        System.Array.Sort(order, (a, b) => _keys.Codes[a].CompareTo(_keys.Codes[b]));
        var outputs = features.Select(f => $"{entity.Name}.{f}").ToList();
        ParsedQuery? query = null;
        ResolverCallCache? calls = null;
        for (var i = 0; i < order.Length; i++)
        {
            var row = order[i];
            if (i == 0 || _keys.Codes[row] != _keys.Codes[order[i - 1]])
            {
                var key = ArrowCells.Read(spine.Key, row);
                query = ParsedQuery.Parse(engine.Graph, new Dictionary<string, object?> { [$"{entity.Name}.{entity.PrimaryKey!.Name}"] = key }, outputs, QueryOptions.Default);
                calls = new ResolverCallCache();
            }
            var now = (DateTime)ArrowCells.Read(spine.Time, row)!;
            var answer = await engine.RecomputeAsync(query!, now, calls!, cancellationToken).ConfigureAwait(false);
            foreach (var feature in features) values[feature][row] = answer.Values[$"{entity.Name}.{feature}"];
            foreach (var error in answer.Errors)
            {
                var feature = error.Feature[(entity.Name.Length + 1)..];
                errors[feature] = (errors[feature].Count + 1, errors[feature].First ?? error);
            }
            if ((i + 1) % 65_536 == 0) Report(65_536);
        }
        Report(order.Length % 65_536);
        return [.. features.Select(f => (f, ArrowColumns.Build(entity.Features[f].Type, values[f]), errors[f].Count, errors[f].First))];
    }

    /// <summary>Per stored feature, its time to live in microseconds (null: none).</summary>
    private Dictionary<string, long?> Ttls()
    {
        var ttls = spine.Outputs.ToDictionary(o => o, _ => options.TimeToLive is { } ttl ? (long?)(ttl.Ticks / 10) : null, StringComparer.Ordinal);
        foreach (var (name, ttl) in options.TimeToLivePerFeature ?? new Dictionary<string, TimeSpan>())
        {
            if (!engine.Graph.TryParseFeature(name, out var feature, out var problem)) throw new QueryException($"The time to live's feature {problem}.");
            if (feature.Entity == spine.Entity.Name && ttls.ContainsKey(feature.Feature)) ttls[feature.Feature] = ttl.Ticks / 10;
        }
        return ttls;
    }

    private void Report(long rows)
    {
        _done += rows;
        options.Progress?.Report(new OfflineProgress(Math.Min(_done, spine.Length), spine.Length));
    }
}

using Apache.Arrow;
using Dsl.Engine.Graph;
using Dsl.Engine.Planning;
using Dsl.Engine.Values;
using Dsl.Runtime;
using Dsl.Runtime.Execution.Relations;

namespace Dsl.Engine.Offline;

/// <summary>
/// Offline recomputation of many spine rows at once: each resolver runs once for all the rows' entities
/// (<see cref="ManyKeyFetch"/>), and the compiled plan runs over a batch of parent rows, each with its own <c>Now</c> (the row's
/// time, <see cref="EvaluateOptions.NowColumn"/>) and the related rows of all entities — the relations' point-in-time join does the
/// rest. The values are those of the per-row path (an online query's plan at each row's time) because the same compiled plans run
/// over the same rows: the batch path and the row path of a plan agree row for row.
/// </summary>
/// <remarks>
/// Only plans whose resolvers are all keyed by the primary key, whose related features do not read <c>Now</c>, and which can
/// produce every output are run this way (<see cref="Plan"/> says); entities whose lookup fails (more than one row, a value that
/// does not convert) are left to the per-row path, which reports the error as an online query would.
/// </remarks>
internal static class BatchRecompute
{
    private const string NowColumn = "$offline_now";

    /// <summary>The offline plan of <paramref name="features"/>, or null when it cannot run in batch.</summary>
    public static QueryPlan? Plan(FeatureEngine engine, EntityNode entity, IReadOnlyList<string> features)
    {
        var key = entity.PrimaryKey!.Name;
        var plan = engine.Planner.Plan(entity, [key], features, offline: true);
        if (plan.Unplannable.Count > 0 || plan.Steps.OfType<ComputeStep>().Count() > 1) return null;
        foreach (var step in plan.Steps)
        {
            var keyed = step switch
            {
                LookupStep lookup => lookup.Lookup.Inputs.Count == 1 && lookup.Lookup.Inputs[0].Feature == key,
                RelatedRowsStep related => related.ParentInputs.SequenceEqual([key]) && !ReadsNow(engine.Graph.Entity(related.Relation.RelatedType), related.RelatedVerdicts),
                _ => true,
            };
            if (!keyed) return null;
        }
        return plan;
    }

    /// <summary>
    /// Computes <paramref name="rows"/> (spine row numbers) into <paramref name="values"/>, recording row errors with
    /// <paramref name="fail"/>; returns the rows left to the per-row path.
    /// </summary>
    public static async Task<int[]> RunAsync(QueryPlan plan, OfflineSpine spine, long[] codes, int[] rows, Dictionary<string, object?[]> values,
        Action<int, QueryError> fail, CancellationToken cancellationToken)
    {
        var entity = spine.Entity;
        var primary = entity.PrimaryKey!;
        var keyOfCode = new Dictionary<long, int>();
        var keys = new List<object?>();
        var keyOfRow = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            if (!keyOfCode.TryGetValue(codes[rows[i]], out var k))
            {
                keyOfCode[codes[rows[i]]] = k = keys.Count;
                keys.Add(InputValues.Convert(ArrowCells.Read(spine.Key, rows[i]), primary.Type, $"{entity.Name}.{primary.Name}"));
            }
            keyOfRow[i] = k;
        }

        var failedKeys = new bool[keys.Count];
        var looked = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        var related = new Dictionary<string, RecordBatch>(StringComparer.Ordinal);
        try
        {
            foreach (var step in plan.Steps)
            {
                if (step is LookupStep lookup) await LookupAsync(lookup, plan, keys, looked, failedKeys, cancellationToken).ConfigureAwait(false);
                else if (step is RelatedRowsStep fetch) related[fetch.Relation.Name] = await FetchAsync(fetch, keys, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return rows; // a resolver failed: every row answers (or fails) as its own online query would
        }

        object? Value(string feature, int key) => feature == primary.Name ? keys[key] : looked.TryGetValue(feature, out var column) ? column[key] : null;
        var compute = plan.Steps.OfType<ComputeStep>().SingleOrDefault();
        var fallback = new List<int>();
        var occurrence = new int[keys.Count];
        var rounds = new List<List<int>>();
        for (var i = 0; i < rows.Length; i++)
        {
            if (failedKeys[keyOfRow[i]])
            {
                fallback.Add(rows[i]);
                continue;
            }
            var round = occurrence[keyOfRow[i]]++;
            if (round == rounds.Count) rounds.Add([]);
            rounds[round].Add(i);
        }
        foreach (var round in rounds)
        {
            (Dictionary<string, IArrowArray> Values, Dictionary<string, Dictionary<int, QueryError>> Errors)? computed =
                compute is null ? null : Compute(compute, spine, rows, round, keyOfRow, Value, related);
            for (var j = 0; j < round.Count; j++)
            {
                var row = rows[round[j]];
                foreach (var feature in plan.Outputs)
                {
                    if (computed is not null && computed.Value.Values.TryGetValue(feature, out var column))
                    {
                        if (computed.Value.Errors[feature].TryGetValue(j, out var error)) fail(row, error);
                        else values[feature][row] = ArrowCells.Read(column, j);
                    }
                    else values[feature][row] = Value(feature, keyOfRow[round[j]]);
                }
            }
        }
        return [.. fallback];
    }

    private static (Dictionary<string, IArrowArray> Values, Dictionary<string, Dictionary<int, QueryError>> Errors) Compute(ComputeStep step, OfflineSpine spine,
        int[] rows, List<int> round, int[] keyOfRow, Func<string, int, object?> value, Dictionary<string, RecordBatch> related)
    {
        // The round's parents as the executor builds them for many entities: each with its key and looked-up values.
        var names = step.Entity.Features.Features.Where(f => f.Kind == FeatureKind.Input).Select(f => f.Name).ToList();
        var known = round.Select(j => (IReadOnlyDictionary<string, object?>)names.ToDictionary(n => n, n => value(n, keyOfRow[j]), StringComparer.Ordinal)).ToList();
        var parent = RelatedBatches.Parent(step, new ExecutionState(known, DateTime.UnixEpoch), [.. Enumerable.Range(0, round.Count)]);
        var now = ColumnGather.Take(spine.Time, [.. round.Select(j => rows[j])]);
        parent = new RecordBatch(new Schema([.. parent.Schema.FieldsList, new Field(NowColumn, now.Data.DataType, false)], null), [.. parent.Arrays, now], round.Count);
        var relations = step.Relations.ToDictionary(r => r, r => related.TryGetValue(r, out var batch) ? batch : RelatedBatches.Empty(step.Entity, r), StringComparer.Ordinal);
        using var result = step.Plan.Evaluate(parent, new EvaluateOptions { NowColumn = NowColumn, Related = relations });
        var output = result.TakeOutput();
        var values = step.Features.ToDictionary(f => f, f => output.Column(f), StringComparer.Ordinal);
        var errors = step.Features.ToDictionary(f => f, f => (result.Errors.GetValueOrDefault(f) ?? []).ToDictionary(e => e.Row, e => new QueryError(f, e.ExceptionType, e.Message)),
            StringComparer.Ordinal);
        return (values, errors);
    }

    private static async Task LookupAsync(LookupStep step, QueryPlan plan, List<object?> keys, Dictionary<string, object?[]> looked, bool[] failedKeys,
        CancellationToken cancellationToken)
    {
        var (rows, keyOf) = await ManyKeyFetch.RunAsync(step.Lookup, keys, cancellationToken).ConfigureAwait(false);
        var rowOfKey = new int[keys.Count];
        System.Array.Fill(rowOfKey, -1);
        for (var r = 0; r < keyOf.Length; r++)
        {
            if (rowOfKey[keyOf[r]] >= 0) failedKeys[keyOf[r]] = true; // more than one row: the per-row path reports it
            rowOfKey[keyOf[r]] = r;
        }
        foreach (var (column, feature) in step.Lookup.ColumnFeatures)
        {
            if (plan.Known.Contains(feature)) continue;
            var array = rows.Column(column) ?? throw new InvalidOperationException($"Resolver '{step.Lookup.Name}' returned no column '{column}'.");
            var type = step.Lookup.Entity.Features[feature].Type;
            var byKey = looked[feature] = new object?[keys.Count];
            for (var k = 0; k < keys.Count; k++)
            {
                if (rowOfKey[k] < 0) continue;
                try
                {
                    byKey[k] = InputValues.Convert(ArrowCells.Read(array, rowOfKey[k]), type, $"{step.Lookup.Entity.Name}.{feature}");
                }
                catch (QueryException)
                {
                    failedKeys[k] = true;
                }
            }
        }
    }

    private static async Task<RecordBatch> FetchAsync(RelatedRowsStep step, List<object?> keys, CancellationToken cancellationToken)
    {
        var (fetched, _) = await ManyKeyFetch.RunAsync(step.Fetch, keys, cancellationToken).ConfigureAwait(false);
        var rows = RelatedBatches.Rename(fetched, step.Fetch.ColumnFeatures);
        if (step.RelatedPlan is not { } plan) return rows;
        // The related features read no Now (Plan checks), so the time given is never read.
        using var result = plan.Evaluate(rows, new EvaluateOptions { Now = DateTime.UnixEpoch });
        return RelatedBatches.Append(rows, result.TakeOutput());
    }

    /// <summary>Whether any of the related entity's features computed over the fetched rows reads <c>Now</c>.</summary>
    private static bool ReadsNow(EntityNode related, IReadOnlyList<FeatureVerdict> verdicts) =>
        verdicts.Any(v => related.Features[v.Feature].Dependencies.Contains(Feature.NowName));
}

using Apache.Arrow;
using Dsl.Engine.Values;

namespace Dsl.Engine.Planning;

/// <summary>
/// Runs a <see cref="HasOneStep"/>: the related entity's plan for the distinct foreign keys of the entities (one bulk run, so each
/// resolver of the related entity is one call), then the related rows as a batch the compiled plan joins by key. A related row that
/// does not exist (its key's lookup found nothing) is left out, so the entity reads a null related object, as the batch path does; a
/// related row with a failed feature fails the relation for the entities that point at it, with that failure.
/// </summary>
internal static class HasOneRows
{
    public static async Task FetchAsync(HasOneStep step, ExecutionState state, CancellationToken cancellationToken)
    {
        var foreignKeys = step.Relation.Keys.Select(k => state.Values.TryGetValue(k.Entity, out var column) ? column : new object?[state.Rows]).ToList();
        var keyOf = new int[state.Rows];
        var distinct = new Dictionary<object?[], int>(ValuesComparer.Instance);
        var known = new List<IReadOnlyDictionary<string, object?>>();
        for (var row = 0; row < state.Rows; row++)
        {
            keyOf[row] = -1;
            var key = foreignKeys.Select(k => k[row]).ToArray();
            if (key.Any(k => k is null) || step.Relation.Keys.Any(k => state.Failure(k.Entity, row) is not null)) continue;
            if (!distinct.TryGetValue(key, out keyOf[row]))
            {
                distinct[key] = keyOf[row] = known.Count;
                known.Add(step.Relation.Keys.Select((k, i) => (k.Related, key[i])).ToDictionary(k => k.Related, k => k.Item2, StringComparer.Ordinal));
            }
        }

        var related = state.For(known);
        if (known.Count > 0) await PlanExecutor.RunAsync(step.RelatedPlan, related, cancellationToken).ConfigureAwait(false);
        var entity = step.RelatedPlan.Entity;
        var keep = new List<int>();
        for (var r = 0; r < known.Count; r++)
        {
            var failure = step.Members.Select(m => related.Failure(m, r)).FirstOrDefault(f => f is not null);
            if (failure is not null)
            {
                for (var row = 0; row < state.Rows; row++)
                {
                    if (keyOf[row] == r)
                        state.Fail(step.Relation.Name, row, failure with { Message = $"{entity.Name}.{failure.Feature}: {failure.Message}" });
                }
            }
            else if (related.Found(r)) keep.Add(r);
        }
        var columns = step.Members.Select(m => (m, entity.Features[m].Type, (IReadOnlyList<object?>)keep.Select(r => related.Values.TryGetValue(m, out var c) ? c[r] : null).ToList())).ToList();
        state.Related[step.Relation.Name] = ArrowColumns.Batch(columns, keep.Count);
    }
}

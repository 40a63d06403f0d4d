using System.Diagnostics;
using Apache.Arrow;
using Dsl.Engine.Sources;
using Dsl.Engine.Values;
using Dsl.Runtime;

namespace Dsl.Engine.Planning;

/// <summary>
/// Runs a plan's steps for the entities of one query (one or many): each resolver step is one call for all entities (one SQL
/// round trip), each computation one evaluation of the compiled plan over all of them; a step starts as soon as the steps it
/// reads are done (two lookups keyed by the same input run at once). A step that fails marks its features failed — for the
/// entities it failed for — instead of failing the query.
/// </summary>
internal static class PlanExecutor
{
    public static async Task RunAsync(QueryPlan plan, ExecutionState state, CancellationToken cancellationToken)
    {
        var tasks = new Task[plan.Steps.Count];
        // Resolver steps that wait on nothing start here, each up to its first wait: the SQL statements they start on one PostgreSQL
        // source are sent together (one connection, one round trip, one reply read by one thread) once all have started.
        var batching = plan.IndependentResolverSteps > 1 ? StatementBatching.Begin() : null;
        try
        {
            foreach (var step in plan.Steps)
            {
                var after = new Task[step.After.Count];
                for (var i = 0; i < after.Length; i++) after[i] = tasks[step.After[i]];
                tasks[step.Index] = RunAfterAsync(step, after, state, cancellationToken);
            }
        }
        finally
        {
            batching?.Send();
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task RunAfterAsync(PlanStep step, Task[] after, ExecutionState state, CancellationToken cancellationToken)
    {
        if (after.Length > 0) await Task.WhenAll(after).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            switch (step)
            {
                case LookupStep lookup:
                    await LookupAsync(lookup, state, cancellationToken).ConfigureAwait(false);
                    break;
                case RelatedRowsStep related:
                    await FetchRelatedAsync(related, state, cancellationToken).ConfigureAwait(false);
                    break;
                case HasOneStep hasOne:
                    await HasOneRows.FetchAsync(hasOne, state, cancellationToken).ConfigureAwait(false);
                    break;
                case ComputeStep compute:
                    Compute(compute, state);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Entities that failed earlier (an input of theirs failed) keep that reason.
            state.Fail(step.Features, Enumerable.Range(0, state.Rows).Where(r => state.Failure(step.Features[0], r) is null), e);
        }
        state.Timings[step.Index] = clock.Elapsed;
    }

    private static async Task LookupAsync(LookupStep step, ExecutionState state, CancellationToken cancellationToken)
    {
        var resolver = step.Lookup;
        var (rows, inputs) = Inputs(step.InputFeatures, step, state);
        if (rows.Count == 0) return;
        var (batch, failures) = await state.CallAsync(resolver, inputs, cancellationToken).ConfigureAwait(false);
        var (found, count) = KeyedRows.Locate(batch, rows.Count);
        for (var j = 0; j < rows.Count; j++)
        {
            if (failures[j] is { } failure)
            {
                state.Fail(step.Features, [rows[j]], failure);
                count[j] = -1;
            }
            else if (count[j] == 0 && step.KeyedByGiven) state.Missing[rows[j]] = true;
            else if (count[j] > 1)
                state.Fail(step.Features, [rows[j]], new InvalidOperationException(
                    $"Resolver '{resolver.Name}' returned {count[j]} rows for {Describe(resolver, inputs[j])}; a lookup returns at most one."));
        }
        foreach (var (column, feature, type, qualified) in step.Columns)
        {
            var array = ArrowColumns.Find(batch, column);
            if (array is null)
            {
                state.Fail([feature], rows, new InvalidOperationException($"Resolver '{resolver.Name}' returned no column '{column}'."));
                continue;
            }
            var values = state.Column(feature);
            for (var j = 0; j < rows.Count; j++)
            {
                if (count[j] is < 0 or > 1) continue;
                try
                {
                    values[rows[j]] = count[j] == 0 ? null : InputValues.Convert(ArrowCells.Read(array, found[j]), type, qualified);
                }
                catch (QueryException e)
                {
                    state.Fail([feature], [rows[j]], new InvalidCastException($"Resolver '{resolver.Name}', column '{column}': {e.Message}"));
                }
            }
        }
    }

    private static async Task FetchRelatedAsync(RelatedRowsStep step, ExecutionState state, CancellationToken cancellationToken)
    {
        var (rows, inputs) = Inputs(step.ParentInputs, step, state);
        if (rows.Count == 0) return;
        var (fetched, failures) = await state.CallAsync(step.Fetch, inputs, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < rows.Count; j++)
        {
            if (failures[j] is { } failure) state.Fail(step.Features, [rows[j]], failure);
        }
        var related = RelatedBatches.Rename(fetched, step.Fetch.ColumnFeatures, step.Renamed);
        if (step.RelatedPlan is { } plan)
        {
            using var result = plan.Evaluate(related, new EvaluateOptions { Now = state.Now, Threads = 1 });
            related = RelatedBatches.Append(related, result.TakeOutput());
            if (FailParentsOfRowErrors(step, state, rows, fetched, result.Errors))
            {
                // The failed entities' rows leave the batch: computed together with the others, a broken row would fail them all.
                var keys = (Int32Array)ArrowColumns.Find(fetched, Resolvers.SqlResolverResult.KeyColumn)!;
                related = RelatedBatches.Where(related, row => state.Failure(step.Relation.Name, rows[keys.GetValue(row)!.Value]) is null);
            }
        }
        state.Related[step.Relation.Name] = related;
    }

    /// <summary>
    /// A related row whose own computed feature failed (a row error) would read as null in every aggregation over it, silently: the
    /// relation fails instead for the entity the row belongs to, with the row's error, so everything aggregating it is an error.
    /// </summary>
    /// <returns>Whether some entity failed so.</returns>
    private static bool FailParentsOfRowErrors(RelatedRowsStep step, ExecutionState state, List<int> rows, RecordBatch fetched,
        IReadOnlyDictionary<string, IReadOnlyList<RowError>> errors)
    {
        var failed = false;
        var keys = (Int32Array)ArrowColumns.Find(fetched, Resolvers.SqlResolverResult.KeyColumn)!;
        foreach (var (feature, featureErrors) in errors)
        {
            foreach (var error in featureErrors)
            {
                var parent = rows[keys.GetValue(error.Row)!.Value];
                if (state.Failure(step.Relation.Name, parent) is not null) continue;
                state.Fail(step.Relation.Name, parent, new QueryError(step.Relation.Name, error.ExceptionType,
                    $"{step.Relation.RelatedType.Name}.{feature} failed on a fetched {step.Relation.RelatedType.Name} row: {error.Message}"));
                failed = true;
            }
        }
        return failed;
    }

    private static void Compute(ComputeStep step, ExecutionState state)
    {
        var related = step.Relations.ToDictionary(r => r, r => state.Related.TryGetValue(r, out var rows) ? rows : RelatedBatches.Empty(step.Entity, r),
            StringComparer.Ordinal);
        foreach (var rows in RelatedBatches.Parents(step, state))
        {
            using var result = step.Plan.Evaluate(RelatedBatches.Parent(step, state, rows), new EvaluateOptions { Now = state.Now, Related = related, Threads = 1 });
            foreach (var feature in step.Features)
            {
                var values = state.Column(feature);
                var output = ArrowColumns.Find(result.Output, feature)!;
                for (var j = 0; j < rows.Count; j++) values[rows[j]] = ArrowCells.Read(output, j);
                if (!result.Errors.TryGetValue(feature, out var errors)) continue;
                foreach (var error in errors) state.Fail(feature, rows[error.Row], new QueryError(feature, error.ExceptionType, error.Message));
            }
        }
    }

    /// <summary>
    /// The entities a resolver step can run for, with their input values; the others (an input failed, or is null) have the step's
    /// features failed with the reason.
    /// </summary>
    private static (List<int> Rows, List<object?[]> Inputs) Inputs(IReadOnlyList<string> names, PlanStep step, ExecutionState state)
    {
        var rows = new List<int>(state.Rows);
        var inputs = new List<object?[]>(state.Rows);
        for (var row = 0; row < state.Rows; row++)
        {
            var values = new object?[names.Count];
            for (var i = 0; i < names.Count && values is not null; i++)
            {
                if (state.Failure(names[i], row) is { } failed)
                {
                    foreach (var feature in step.Features) state.Fail(feature, row, failed);
                    values = null;
                }
                else if ((values[i] = state.Values.TryGetValue(names[i], out var column) ? column[row] : null) is null)
                {
                    state.Fail(step.Features, [row], new InvalidOperationException($"{step.Resolver!.Name} needs {names[i]}, which is null."));
                    values = null;
                }
            }
            if (values is null) continue;
            rows.Add(row);
            inputs.Add(values);
        }
        return (rows, inputs);
    }

    private static string Describe(Graph.ResolverNode resolver, object?[] inputs) =>
        string.Join(", ", resolver.Inputs.Select((input, i) => $"{input}={inputs[i]}"));
}

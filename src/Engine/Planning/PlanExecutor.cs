using System.Diagnostics;
using Apache.Arrow;
using Dsl.Engine.Values;
using Dsl.Runtime;

namespace Dsl.Engine.Planning;

/// <summary>
/// Runs a plan's steps for one query: each step starts as soon as the steps it reads are done (two lookups keyed by the same
/// input run at once), and a step that fails marks its features failed instead of failing the query.
/// </summary>
internal static class PlanExecutor
{
    public static async Task RunAsync(QueryPlan plan, ExecutionState state, CancellationToken cancellationToken)
    {
        var tasks = new Task[plan.Steps.Count];
        foreach (var step in plan.Steps)
            tasks[step.Index] = RunAfterAsync(step, step.After.Select(a => tasks[a]).ToArray(), plan, state, cancellationToken);
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task RunAfterAsync(PlanStep step, Task[] after, QueryPlan plan, ExecutionState state, CancellationToken cancellationToken)
    {
        if (after.Length > 0) await Task.WhenAll(after).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            switch (step)
            {
                case LookupStep lookup:
                    await LookupAsync(lookup, plan, state, cancellationToken).ConfigureAwait(false);
                    break;
                case RelatedRowsStep related:
                    await FetchRelatedAsync(related, state, cancellationToken).ConfigureAwait(false);
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
            state.Fail(step.Features, e);
        }
        state.Timings[step.Index] = clock.Elapsed;
    }

    private static async Task LookupAsync(LookupStep step, QueryPlan plan, ExecutionState state, CancellationToken cancellationToken)
    {
        var resolver = step.Lookup;
        var inputs = Inputs(resolver.Inputs.Select(i => i.Feature).ToList(), step, state);
        if (inputs is null) return;
        var batch = await state.CallAsync(resolver, inputs, cancellationToken).ConfigureAwait(false);
        if (batch.Length > 1)
            throw new InvalidOperationException($"Resolver '{resolver.Name}' returned {batch.Length} rows for {Describe(resolver, inputs)}; a lookup returns at most one.");
        foreach (var (column, feature) in resolver.ColumnFeatures)
        {
            if (plan.Known.Contains(feature)) continue;
            var array = batch.Column(column);
            if (array is null)
            {
                state.Fail([feature], new InvalidOperationException($"Resolver '{resolver.Name}' returned no column '{column}'."));
                continue;
            }
            try
            {
                var type = step.Lookup.Entity.Features[feature].Type;
                state.Values[feature] = batch.Length == 0 ? null : InputValues.Convert(ArrowCells.Read(array, 0), type, $"{resolver.Entity.Name}.{feature}");
            }
            catch (QueryException e)
            {
                state.Fail([feature], new InvalidCastException($"Resolver '{resolver.Name}', column '{column}': {e.Message}"));
            }
        }
    }

    private static async Task FetchRelatedAsync(RelatedRowsStep step, ExecutionState state, CancellationToken cancellationToken)
    {
        var inputs = Inputs(step.ParentInputs, step, state);
        if (inputs is null) return;
        var fetched = await state.CallAsync(step.Fetch, inputs, cancellationToken).ConfigureAwait(false);
        var rows = RelatedBatches.Rename(fetched, step.Fetch.ColumnFeatures);
        if (step.RelatedPlan is { } plan)
        {
            using var result = plan.Evaluate(rows, new EvaluateOptions { Now = state.Now, Threads = 1 });
            rows = RelatedBatches.Append(rows, result.TakeOutput());
        }
        state.Related[step.Relation.Name] = rows;
    }

    private static void Compute(ComputeStep step, ExecutionState state)
    {
        var parent = RelatedBatches.Parent(step, state);
        var related = step.Relations.ToDictionary(r => r, r => state.Related.TryGetValue(r, out var rows) ? rows : RelatedBatches.Empty(step.Entity, r),
            StringComparer.Ordinal);
        using var result = step.Plan.Evaluate(parent, new EvaluateOptions { Now = state.Now, Related = related, Threads = 1 });
        foreach (var feature in step.Features)
        {
            if (result.Errors.TryGetValue(feature, out var errors) && errors.Count > 0)
                state.Failures[feature] = new QueryError(feature, errors[0].ExceptionType, errors[0].Message);
            else
                state.Values[feature] = ArrowCells.Read(result.Output.Column(feature), 0);
        }
    }

    /// <summary>The input values a resolver step takes, or null (with its features failed) when one of them failed or is null.</summary>
    private static object?[]? Inputs(IReadOnlyList<string> names, PlanStep step, ExecutionState state)
    {
        var values = new object?[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            if (state.Failures.TryGetValue(names[i], out var failed))
            {
                foreach (var feature in step.Features) state.Failures[feature] = failed with { Feature = feature };
                return null;
            }
            values[i] = state.Values.GetValueOrDefault(names[i]);
            if (values[i] is null)
            {
                state.Fail(step.Features, new InvalidOperationException($"{step.Resolver!.Name} needs {names[i]}, which is null."));
                return null;
            }
        }
        return values;
    }

    private static string Describe(Graph.ResolverNode resolver, object?[] inputs) =>
        string.Join(", ", resolver.Inputs.Select((input, i) => $"{input}={inputs[i]}"));
}

namespace Dsl.Engine.Planning;

/// <summary>Values read from the online store for one query, or why the store could not be read.</summary>
internal sealed record StoredValues(IReadOnlyDictionary<string, (object? Value, TimeSpan Age)> Values, string? Problem)
{
    public static StoredValues None { get; } = new(new Dictionary<string, (object?, TimeSpan)>(), null);
}

/// <summary>A query's answer assembled from the given inputs, the store and the executed plan.</summary>
internal sealed record Answer(
    Dictionary<string, object?> Values, List<QueryError> Errors, Dictionary<string, FeatureProvenance> Provenance, Dictionary<string, object?> Computed);

internal static class Answers
{
    private static readonly FeatureProvenance s_input = new(ValueSource.Input);
    private static readonly FeatureProvenance s_failed = new(ValueSource.Failed);

    /// <summary>
    /// Each requested feature's value and where it came from: given, stored, or produced by the plan for entity <paramref name="row"/>
    /// of <paramref name="state"/> — unless it, or a fetched feature or relation it reads, failed, in which case the failure is its error.
    /// </summary>
    public static Answer Collect(ParsedQuery query, QueryPlan plan, ExecutionState state, int row, StoredValues stored)
    {
        var count = query.Outputs.Count;
        var answer = new Answer(new(count, StringComparer.Ordinal), [], new(count, StringComparer.Ordinal), new(count, StringComparer.Ordinal));
        foreach (var output in query.Outputs)
        {
            var name = query.Qualified(output);
            answer.Values[name] = null;
            if (query.Known.TryGetValue(output, out var given))
            {
                answer.Values[name] = given;
                answer.Provenance[name] = s_input;
            }
            else if (stored.Values.TryGetValue(output, out var cached))
            {
                answer.Values[name] = cached.Value;
                answer.Provenance[name] = new FeatureProvenance(ValueSource.Store, cached.Age);
            }
            else if (Failure(query, plan, state, row, output) is { } error)
            {
                answer.Errors.Add(error with { Feature = name });
                answer.Provenance[name] = s_failed;
            }
            else
            {
                var value = state.Values[output][row];
                answer.Values[name] = value;
                answer.Computed[output] = value;
                answer.Provenance[name] = plan.Steps[plan.ProducedBy[output]].Provenance;
            }
        }
        return answer;
    }

    private static QueryError? Failure(ParsedQuery query, QueryPlan plan, ExecutionState state, int row, string output)
    {
        if (plan.Unplannable.TryGetValue(output, out var reason))
            return new QueryError(output, typeof(InvalidOperationException).FullName!, $"{query.Qualified(output)} cannot be produced: {reason}");
        if (state.Failure(output, row) is { } own) return own;
        foreach (var source in plan.Bases.GetValueOrDefault(output) ?? [])
        {
            if (state.Failure(source, row) is { } failed)
                return failed with { Message = $"{query.Qualified(output)} reads {query.Qualified(source)}, which failed: {failed.Message}" };
        }
        return null;
    }
}

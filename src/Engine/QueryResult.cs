namespace Dsl.Engine;

/// <summary>
/// The answer to a query: a value per requested feature (null where it is null or failed), the features that failed and
/// why, and where each value came from.
/// </summary>
public sealed class QueryResult
{
    internal QueryResult(IReadOnlyDictionary<string, object?> values, IReadOnlyList<QueryError> errors, QueryMetadata metadata)
    {
        Values = values;
        Errors = errors;
        Metadata = metadata;
    }

    /// <summary>Requested feature (as <c>User.TotalSpend</c>) → value, in the order requested.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }

    /// <summary>The requested features that failed, each with the exception type and message, in the order requested.</summary>
    public IReadOnlyList<QueryError> Errors { get; }

    /// <summary>The plan, where each value came from, and the time each step took.</summary>
    public QueryMetadata Metadata { get; }

    /// <summary>The value of <paramref name="feature"/> (as <c>User.TotalSpend</c>).</summary>
    public object? this[string feature] => Values[feature];
}

/// <summary>
/// A requested feature that could not be answered: the exception type's full name (<c>System.TimeoutException</c>,
/// <c>System.DivideByZeroException</c>, as row errors are reported) and its message.
/// </summary>
public sealed record QueryError(string Feature, string ExceptionType, string Message);

/// <summary>Where a value came from.</summary>
public enum ValueSource
{
    /// <summary>Given by the query.</summary>
    Input,

    /// <summary>Read from the online store, fresh enough for the feature's staleness.</summary>
    Store,

    /// <summary>Returned by a resolver.</summary>
    Resolver,

    /// <summary>Computed by the feature's definition (compiled or row by row).</summary>
    Computed,

    /// <summary>Failed: see the errors.</summary>
    Failed,
}

/// <summary>Where one feature's value came from, and for a stored value how old it was.</summary>
public sealed record FeatureProvenance(ValueSource Source, TimeSpan? Age = null, string? Step = null);

/// <summary>The time one step of the plan took.</summary>
public sealed record StepTiming(string Step, TimeSpan Elapsed);

/// <summary>What happened while answering a query.</summary>
public sealed class QueryMetadata
{
    internal QueryMetadata(Planning.QueryPlan plan, IReadOnlyDictionary<string, FeatureProvenance> features, IReadOnlyList<StepTiming> steps,
        string? storeProblem, TimeSpan elapsed)
    {
        Plan = plan;
        Features = features;
        Steps = steps;
        StoreProblem = storeProblem;
        Elapsed = elapsed;
    }

    /// <summary>The plan that computed what the store did not have.</summary>
    public Planning.QueryPlan Plan { get; }

    /// <summary>Per requested feature, where its value came from.</summary>
    public IReadOnlyDictionary<string, FeatureProvenance> Features { get; }

    /// <summary>The steps run, with their times.</summary>
    public IReadOnlyList<StepTiming> Steps { get; }

    /// <summary>Null when the online store answered (or was not needed); else why it was not used (the values were computed).</summary>
    public string? StoreProblem { get; }

    /// <summary>The number of requested features read from the store.</summary>
    public int CacheHits => Features.Values.Count(f => f.Source == ValueSource.Store);

    /// <summary>The whole query's time.</summary>
    public TimeSpan Elapsed { get; }
}

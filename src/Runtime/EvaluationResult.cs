using Dsl.Arrow;

namespace Dsl.Runtime;

/// <summary>The outcome of evaluating a function over a batch. Disposing it releases <see cref="Values"/>.</summary>
public sealed class EvaluationResult : IDisposable
{
    internal EvaluationResult(IArrowArray values, IReadOnlyList<RowError> errors, ExecutionMode mode, TimeSpan elapsed)
    {
        Values = values;
        Errors = errors;
        Mode = mode;
        Elapsed = elapsed;
    }

    /// <summary>
    /// One result per row, as the function's return type mapped to Arrow (nullable): null where a non-nullable
    /// value-type parameter's column was null, where the function returned null, and where it threw.
    /// </summary>
    public IArrowArray Values { get; }

    /// <summary>The rows that threw, sorted by row; identical whichever path computed them.</summary>
    public IReadOnlyList<RowError> Errors { get; }

    /// <summary>The path that computed the rows.</summary>
    public ExecutionMode Mode { get; }

    /// <summary>The time spent evaluating (binding checks, compiling, reading and writing files excluded).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Releases the result column.</summary>
    public void Dispose() => Values.Dispose();
}

using Apache.Arrow;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Runtime;

/// <summary>
/// The outcome of evaluating a function over a batch. The result owns the native memory behind <see cref="Values"/>
/// (pooled, 64-byte aligned blocks that Apache.Arrow does not free by itself): disposing the result gives it back, after
/// which reading <see cref="Values"/> throws <see cref="ObjectDisposedException"/>. To keep the column beyond the
/// result, call <see cref="TakeValues"/>.
/// </summary>
public sealed class EvaluationResult : IDisposable
{
    private readonly NativeBlockSet _memory;

    internal EvaluationResult(IArrowArray values, NativeBlockSet memory, IReadOnlyList<RowError> errors, ExecutionMode mode, TimeSpan elapsed)
    {
        Values = values;
        _memory = memory;
        Errors = errors;
        Mode = mode;
        Elapsed = elapsed;
    }

    /// <summary>
    /// One result per row, as the function's return type mapped to Arrow (nullable): null where a non-nullable
    /// value-type parameter's column was null, where the function returned null, and where it threw. Readable until the
    /// result is disposed (unless taken with <see cref="TakeValues"/>).
    /// </summary>
    public IArrowArray Values { get; }

    /// <summary>The rows that threw, sorted by row; identical whichever path computed them.</summary>
    public IReadOnlyList<RowError> Errors { get; }

    /// <summary>The path that computed the rows.</summary>
    public ExecutionMode Mode { get; }

    /// <summary>The time spent evaluating (binding checks, compiling, reading and writing files excluded).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Keeps <see cref="Values"/> beyond this result: its memory is no longer given back by <see cref="Dispose"/> but
    /// freed by the garbage collector once nothing references the array (it is reported as memory pressure).
    /// </summary>
    public IArrowArray TakeValues()
    {
        _memory.Detach();
        return Values;
    }

    /// <summary>The native memory behind the values, for a caller that takes ownership (a feature plan).</summary>
    internal NativeBlockSet Memory => _memory;

    /// <summary>Gives the result column's memory back (to the pool, for large blocks).</summary>
    public void Dispose() => _memory.Dispose();
}

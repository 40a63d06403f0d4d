using Apache.Arrow;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Runtime;

/// <summary>
/// The outcome of evaluating a <see cref="FeaturePlan"/> over a batch. The result owns the native memory behind
/// <see cref="Output"/>: disposing it gives the memory back, after which the columns throw
/// <see cref="ObjectDisposedException"/> when read. <see cref="TakeOutput"/> keeps them beyond the result.
/// </summary>
public sealed class FeatureSetResult : IDisposable
{
    private readonly NativeBlockSet _memory;

    internal FeatureSetResult(RecordBatch input, RecordBatch output, NativeBlockSet memory, IReadOnlyDictionary<string, IReadOnlyList<RowError>> errors,
        IReadOnlyDictionary<string, ExecutionMode> modes, TimeSpan elapsed)
    {
        Input = input;
        Output = output;
        _memory = memory;
        Errors = errors;
        Modes = modes;
        Elapsed = elapsed;
    }

    /// <summary>The batch the features were computed over (not owned by the result).</summary>
    public RecordBatch Input { get; }

    /// <summary>One nullable column per feature, in definition order, named after the feature.</summary>
    public RecordBatch Output { get; }

    /// <summary>Per feature, the rows whose function threw (sorted by row); every feature has an entry.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RowError>> Errors { get; }

    /// <summary>Per feature, the path that computed it.</summary>
    public IReadOnlyDictionary<string, ExecutionMode> Modes { get; }

    /// <summary>The time spent evaluating all features (binding checks and compiling kernels on first use excluded).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Keeps <see cref="Output"/> beyond this result: its memory is no longer given back by <see cref="Dispose"/> but
    /// freed by the garbage collector once nothing references the batch's arrays.
    /// </summary>
    public RecordBatch TakeOutput()
    {
        _memory.Detach();
        return Output;
    }

    /// <summary>Gives the output's memory back (to the pool, for large blocks).</summary>
    public void Dispose() => _memory.Dispose();
}

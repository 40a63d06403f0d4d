using Dsl.Arrow;

namespace Dsl.Runtime;

/// <summary>The outcome of evaluating a <see cref="FeaturePlan"/> over a batch. Disposing it releases <see cref="Output"/>.</summary>
public sealed class FeatureSetResult : IDisposable
{
    internal FeatureSetResult(RecordBatch output, IReadOnlyDictionary<string, IReadOnlyList<RowError>> errors,
        IReadOnlyDictionary<string, ExecutionMode> modes, TimeSpan elapsed)
    {
        Output = output;
        Errors = errors;
        Modes = modes;
        Elapsed = elapsed;
    }

    /// <summary>One nullable column per feature, in definition order, named after the feature.</summary>
    public RecordBatch Output { get; }

    /// <summary>Per feature, the rows whose function threw (sorted by row); every feature has an entry.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RowError>> Errors { get; }

    /// <summary>Per feature, the path that computed it.</summary>
    public IReadOnlyDictionary<string, ExecutionMode> Modes { get; }

    /// <summary>The time spent evaluating all features (binding checks and compiling kernels on first use excluded).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Releases the output batch.</summary>
    public void Dispose() => Output.Dispose();
}

namespace Dsl.Runtime;

/// <summary>Settings for one <see cref="CompiledFunction.Evaluate"/> call.</summary>
public sealed record EvaluateOptions
{
    /// <summary>The defaults: bind by name, automatic mode, all processors, 16,384-row morsels.</summary>
    public static EvaluateOptions Default { get; } = new();

    /// <summary>
    /// Parameter name → column name. A parameter not listed binds to the column of the same name: an exact
    /// match first, then a unique case-insensitive match.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Bindings { get; init; }

    /// <summary>Which path to take; <see cref="EvaluationMode.Auto"/> by default.</summary>
    public EvaluationMode Mode { get; init; } = EvaluationMode.Auto;

    /// <summary>How many threads may run morsels at once; null means <see cref="Environment.ProcessorCount"/>.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Rows per morsel, the unit of work one thread takes at a time; rounded up to a multiple of 64.
    /// Null means 16,384. Results do not depend on it.
    /// </summary>
    public int? MorselSize { get; init; }

    /// <summary>
    /// The time features are computed for (<c>Now</c>), the same for every row: a request's time, or the end of a
    /// training window. Ignored when <see cref="NowColumn"/> is set; required by functions that read <c>Now</c> otherwise.
    /// </summary>
    public DateTime? Now { get; init; }

    /// <summary>A timestamp column of the batch giving each row its own <c>Now</c> (offline: each example's time).</summary>
    public string? NowColumn { get; init; }

    /// <summary>The related rows of each relation a plan aggregates over: relation name → batch (see <see cref="RelationInput"/>).</summary>
    public IReadOnlyDictionary<string, Apache.Arrow.RecordBatch>? Related { get; init; }
}

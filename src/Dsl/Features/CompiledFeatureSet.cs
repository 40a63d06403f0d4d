using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Dsl.Runtime;

namespace Dsl;

/// <summary>
/// A feature set compiled: each computed feature through <see cref="FunctionCompiler"/> (with its verdict),
/// all of them planned together by the runtime's multi-feature executor, which shares common
/// subexpressions and feeds features to the features that read them.
/// </summary>
public class CompiledFeatureSet
{
    private readonly Func<object, object?>[] _inputReaders;
    private readonly string[] _inputNames;

    internal CompiledFeatureSet(FeatureSet set, IReadOnlyList<FeatureVerdict> verdicts, FeaturePlan plan)
    {
        Set = set;
        Verdicts = verdicts;
        Plan = plan;
        _inputNames = plan.Inputs.Select(i => i.Name).ToArray();
        _inputReaders = _inputNames.Select(name => InputReader(set.EntityType, name)).ToArray();
    }

    /// <summary>The feature set.</summary>
    public FeatureSet Set { get; }

    /// <summary>The checked graph.</summary>
    public FeatureGraph Graph => Set.Graph;

    /// <summary>One verdict per computed feature, in dependency order.</summary>
    public IReadOnlyList<FeatureVerdict> Verdicts { get; }

    /// <summary>The runtime's plan for evaluating all computed features.</summary>
    public FeaturePlan Plan { get; }

    /// <summary>
    /// Evaluates every computed feature over a batch whose columns are the input features (named as the
    /// features, matched exactly first, then ignoring case). Row failures become null values with
    /// per-feature errors; a null read by a non-nullable parameter makes that feature null for the row.
    /// </summary>
    /// <exception cref="ColumnBindingException">An input column is missing or of the wrong type.</exception>
    /// <exception cref="ArrowExtensions.ArrowValidationException">An input column is malformed (nothing was read from it).</exception>
    public FeatureSetResult Evaluate(RecordBatch batch, EvaluateOptions? options = null) => Plan.Evaluate(batch, options);

    /// <summary>
    /// Evaluates every computed feature over each batch of <paramref name="input"/> (a Parquet or Arrow file opened
    /// with <see cref="Runtime.Files.BatchFiles.OpenRead(string, IReadOnlyCollection{string})"/>, or any Apache.Arrow stream); dispose each result before
    /// taking the next.
    /// </summary>
    public IEnumerable<FeatureSetResult> Evaluate(IArrowArrayStream input, EvaluateOptions? options = null) => Plan.Evaluate(input, options);

    /// <summary>Evaluates every computed feature over each batch of an asynchronous sequence (DuckDB.NET's <c>ExecuteArrowBatchesAsync()</c>).</summary>
    public IAsyncEnumerable<FeatureSetResult> EvaluateAsync(IAsyncEnumerable<RecordBatch> batches, EvaluateOptions? options = null, CancellationToken cancellationToken = default) =>
        Plan.EvaluateAsync(batches, options, cancellationToken);

    /// <summary>Evaluates every computed feature over a Parquet or Arrow file and writes the results to another, batch by batch.</summary>
    public FileEvaluationSummary EvaluateFile(string inputPath, string outputPath, FileEvaluationOptions? options = null) =>
        Plan.EvaluateFile(inputPath, outputPath, options);

    /// <summary>
    /// Evaluates every computed feature for one entity (the online path: no Arrow, no batch). Its relations' rows are read
    /// from its properties (a has-one relation's row as it is, null included); <paramref name="now"/> is the time the features are computed for (<c>F.Now</c>; related rows with
    /// a later event time are invisible), required when the features read it.
    /// </summary>
    public FeatureRow Evaluate(object entity, DateTime? now = null)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!Set.EntityType.IsInstanceOfType(entity))
            throw new ArgumentException($"The feature set {Set.Name} computes {Set.EntityType.Name} features, not {entity.GetType().Name}.", nameof(entity));
        var inputs = new object?[_inputReaders.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            var name = _inputNames[i];
            inputs[i] = name == RelationInput.NowName
                ? now ?? throw new ArgumentException($"The features of {Set.Name} read Now: pass the time they are computed for.", nameof(now))
                : Plan.RelationInputs.RelationOf(name) is { } relation
                    ? Plan.RelationInputs.Online(name, (System.Collections.IEnumerable?)_inputReaders[i](entity), now)
                    : _inputReaders[i](entity);
        }

        return Plan.Invoke(inputs);
    }

    /// <summary>A compiled getter of the entity property that feeds input <paramref name="name"/> (a relation's property for its rows).</summary>
    private Func<object, object?> InputReader(Type entity, string name)
    {
        if (name == RelationInput.NowName) return _ => null;
        if ((Plan.RelationInputs.RelationOf(name) ?? Plan.RelationInputs.HasOneOf(name)) is { } relation) name = relation.Name;
        var property = entity.GetProperty(name) ?? throw new InvalidOperationException($"{entity.Name} has no property '{name}' for plan input '{name}'.");
        var instance = Expression.Parameter(typeof(object), "entity");
        var read = Expression.Convert(Expression.Property(Expression.Convert(instance, entity), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(read, instance).Compile();
    }
}

/// <summary>A compiled feature set over <typeparamref name="TEntity"/>.</summary>
public sealed class CompiledFeatureSet<TEntity> : CompiledFeatureSet where TEntity : class
{
    internal CompiledFeatureSet(FeatureSet set, IReadOnlyList<FeatureVerdict> verdicts, FeaturePlan plan)
        : base(set, verdicts, plan)
    {
    }

    /// <summary>Evaluates every computed feature for one entity, as of <paramref name="now"/> when the features read it.</summary>
    public FeatureRow Evaluate(TEntity entity, DateTime? now = null) => base.Evaluate(entity, now);

    /// <summary>
    /// Compiles the typed, allocation-free online path: an evaluator that reads an entity's inputs and related rows from
    /// its properties and writes each feature into the <typeparamref name="TOutput"/> member of the feature's name (the
    /// entity itself, when <typeparamref name="TOutput"/> is <typeparamref name="TEntity"/>). Create it once and keep it.
    /// </summary>
    /// <exception cref="ArgumentException">A feature has no member of its name in <typeparamref name="TOutput"/>, or one that cannot hold it.</exception>
    public EntityFeatureEvaluator<TEntity, TOutput> CreateEvaluator<TOutput>() => Plan.CreateEntityEvaluator<TEntity, TOutput>();
}

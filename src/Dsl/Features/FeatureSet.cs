using System.Linq.Expressions;
using Dsl.Runtime;

namespace Dsl;

/// <summary>
/// The features of one entity and their definitions. The graph is built once, on first use: every
/// definition is type-checked, every name resolved, and cycles rejected, each failure a
/// <see cref="FeatureDefinitionException"/> naming the feature and the problem.
/// </summary>
/// <remarks>
/// Derive from <see cref="FeatureSet{TEntity}"/> (public, with a parameterless constructor) so that
/// <c>dsl features --assembly</c> finds the set; or construct one with a definition callback.
/// </remarks>
public abstract class FeatureSet
{
    private FeatureGraph? _graph;

    private protected FeatureSet(string? name) => Name = name ?? GetType().Name;

    /// <summary>The set's name: the class name unless given.</summary>
    public string Name { get; }

    /// <summary>The entity class whose properties are the features.</summary>
    public abstract Type EntityType { get; }

    /// <summary>The checked feature graph.</summary>
    /// <exception cref="FeatureDefinitionException">A definition is wrong (unknown name, type mismatch, cycle).</exception>
    // Read first without the initializer: `BuildGraph` as a delegate is a new object per call, and online queries read the graph often.
    public FeatureGraph Graph => Volatile.Read(ref _graph) ?? LazyInitializer.EnsureInitialized(ref _graph, BuildGraph);

    private protected abstract FeatureGraph BuildGraph();

    /// <summary>
    /// Compiles every computed feature (each gets a verdict: compiled, or fallback and why) and plans
    /// their evaluation together.
    /// </summary>
    /// <exception cref="FeatureDefinitionException">The set is not well defined.</exception>
    public CompiledFeatureSet Compile(CompileOptions? options = null)
    {
        var (verdicts, plan) = CompileFeatures(options);
        return new CompiledFeatureSet(this, verdicts, plan);
    }

    private protected (IReadOnlyList<FeatureVerdict> Verdicts, FeaturePlan Plan) CompileFeatures(CompileOptions? options)
    {
        var verdicts = new List<FeatureVerdict>();
        var definitions = new List<PlannedFeature>();
        foreach (var feature in Graph.Computed)
        {
            var function = feature.Function switch
            {
                LambdaExpression expression => FunctionCompiler.Compile(Features.CatalogueInliner.Inline(expression), options),
                Delegate resolver => FunctionCompiler.Compile(resolver, options),
                _ => throw new InvalidOperationException($"Feature '{feature.Name}' has no function."),
            };
            var bindings = function.Parameters
                .Select((parameter, i) => (parameter.Name, Feature: feature.Dependencies[i]))
                .ToDictionary(b => b.Name, b => b.Feature, StringComparer.Ordinal);
            definitions.Add(new PlannedFeature(feature.Name, function, bindings, feature.Window));
            verdicts.Add(new FeatureVerdict(feature.Name, feature.Kind, function.Mode, function.FallbackReason, function));
        }

        var relations = Graph.Relations.Select(r =>
            new RelationInput(r.Name, r.RelatedType, r.Keys.Select(k => k.Entity).ToArray(), r.Keys.Select(k => k.Related).ToArray(), r.EventTime)
            {
                HasOne = r.Kind == RelationKind.HasOne,
            });
        return (verdicts, FeaturePlan.Create(definitions, relations));
    }
}

/// <summary>The features of <typeparamref name="TEntity"/>: its properties, some defined from others.</summary>
/// <typeparam name="TEntity">The entity class; its public properties are the features.</typeparam>
public class FeatureSet<TEntity> : FeatureSet where TEntity : class
{
    private readonly Action<FeatureSetBuilder<TEntity>>? _define;

    /// <summary>A set whose definitions <paramref name="define"/> adds.</summary>
    public FeatureSet(Action<FeatureSetBuilder<TEntity>> define, string? name = null)
        : base(name ?? typeof(TEntity).Name + "Features")
    {
        _define = define ?? throw new ArgumentNullException(nameof(define));
    }

    /// <summary>For subclasses, which add definitions by overriding <see cref="Define"/>.</summary>
    protected FeatureSet()
        : base(null)
    {
    }

    /// <inheritdoc />
    public override Type EntityType => typeof(TEntity);

    /// <summary>Adds the definitions of the computed features (called once, when the graph is built).</summary>
    protected virtual void Define(FeatureSetBuilder<TEntity> features)
    {
    }

    /// <summary>Compiles every computed feature; the result evaluates <typeparamref name="TEntity"/> entities.</summary>
    public new CompiledFeatureSet<TEntity> Compile(CompileOptions? options = null)
    {
        var (verdicts, plan) = CompileFeatures(options);
        return new CompiledFeatureSet<TEntity>(this, verdicts, plan);
    }

    private protected override FeatureGraph BuildGraph()
    {
        var builder = new FeatureSetBuilder<TEntity>();
        if (_define is not null) _define(builder);
        else Define(builder);
        return Features.FeatureGraphBuilder.Build(typeof(TEntity), builder.Definitions, builder.Relations);
    }
}

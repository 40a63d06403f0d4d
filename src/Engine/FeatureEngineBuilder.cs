using System.Reflection;
using Dsl.Engine.Graph;

namespace Dsl.Engine;

/// <summary>
/// Collects what an engine is made of — feature sets, resolvers, the rules between them — and builds it, checking that the
/// definitions fit together (<see cref="EngineDefinitionException"/> otherwise).
/// </summary>
public sealed partial class FeatureEngineBuilder
{
    private readonly List<FeatureSet> _sets = [];
    private readonly List<IResolver> _resolvers = [];
    private readonly HashSet<string> _preferred = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _staleness = new(StringComparer.Ordinal);

    /// <summary>Adds a feature set: its entity, features and relations.</summary>
    public FeatureEngineBuilder AddFeatureSet(FeatureSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        _sets.Add(set);
        return this;
    }

    /// <summary>Adds every public, non-abstract feature set class of <paramref name="assembly"/> that has a parameterless constructor.</summary>
    public FeatureEngineBuilder AddFeatureSets(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetExportedTypes().Where(t => typeof(FeatureSet).IsAssignableFrom(t) && !t.IsAbstract && !t.ContainsGenericParameters
                     && t.GetConstructor(Type.EmptyTypes) is not null))
            _sets.Add((FeatureSet)Activator.CreateInstance(type)!);
        return this;
    }

    /// <summary>Adds a resolver (a SQL resolver, a <see cref="Resolvers.CSharpResolver"/>, or any <see cref="IResolver"/>).</summary>
    public FeatureEngineBuilder AddResolver(IResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolvers.Add(resolver);
        return this;
    }

    /// <summary>
    /// The rule for a feature several online resolvers give from the same inputs: the preferred resolver is used (the others stay
    /// available for features only they give).
    /// </summary>
    public FeatureEngineBuilder Prefer(string resolver)
    {
        _preferred.Add(resolver);
        return this;
    }

    /// <summary>Sets the maximum staleness of <paramref name="feature"/> (<c>user.total_spend</c>), replacing what its class declares.</summary>
    public FeatureEngineBuilder MaxStaleness(string feature, TimeSpan staleness)
    {
        if (staleness < TimeSpan.Zero && staleness != Staleness.Infinite) throw new ArgumentOutOfRangeException(nameof(staleness), "A staleness is zero or more, or infinite.");
        _staleness[feature] = staleness;
        return this;
    }

    /// <summary>Builds the engine from feature sets and resolvers already made (use <see cref="BuildAsync"/> when there are SQL resolvers).</summary>
    /// <exception cref="EngineDefinitionException">The definitions do not fit together; the message names entity, feature and resolver.</exception>
    /// <exception cref="FeatureDefinitionException">A feature set is not well defined.</exception>
    public FeatureEngine Build()
    {
        if (_sqlResolvers.Count > 0) throw new InvalidOperationException("SQL resolvers are bound to their sources asynchronously: call BuildAsync.");
        var graph = EngineGraph.Build(_sets, _resolvers, _preferred, _staleness);
        return new FeatureEngine(graph, BuildStore(), _offline);
    }
}

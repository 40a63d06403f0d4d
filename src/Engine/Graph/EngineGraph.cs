using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Graph;

/// <summary>
/// Everything an engine knows: each entity with its features and relations, and each resolver with its inputs, outputs and
/// kind. Built once and checked as a whole (<see cref="EngineGraphChecks"/>); immutable afterwards.
/// </summary>
public sealed class EngineGraph
{
    private readonly Dictionary<string, EntityNode> _entities;

    private EngineGraph(Dictionary<string, EntityNode> entities, IReadOnlyList<ResolverNode> resolvers)
    {
        _entities = entities;
        Resolvers = resolvers;
    }

    /// <summary>The entities, by the order they were found.</summary>
    public IEnumerable<EntityNode> Entities => _entities.Values;

    /// <summary>The resolvers, in the order they were given.</summary>
    public IReadOnlyList<ResolverNode> Resolvers { get; }

    /// <summary>The entity named <paramref name="name"/> (exact, then ignoring case and underscores), or null.</summary>
    public EntityNode? FindEntity(string name)
    {
        if (_entities.TryGetValue(name, out var exact)) return exact;
        var loose = Loose(name);
        return _entities.Values.FirstOrDefault(e => Loose(e.Name) == loose);
    }

    /// <summary>The outputs of queries parsed so far, by shape (<see cref="Planning.OutputShapes"/>).</summary>
    internal Planning.OutputShapes OutputShapes { get; } = new();

    /// <summary>The entity of <paramref name="type"/>.</summary>
    public EntityNode Entity(Type type) => _entities.Values.First(e => e.Type == type);

    /// <summary>
    /// Reads <c>user.total_spend</c> (or <c>User.TotalSpend</c>) as a feature reference, or explains why it names none.
    /// </summary>
    public bool TryParseFeature(string text, out FeatureRef feature, out string problem)
    {
        // Queries name the same features again and again; matching a loose name (user.total_spend) normalizes every candidate, so
        // names once resolved are remembered (a bounded number: request bodies could otherwise grow the cache without end).
        if (_parsed.TryGetValue(text, out feature))
        {
            problem = "";
            return true;
        }
        if (!TryParseFeatureUncached(text, out feature, out problem)) return false;
        if (_parsed.Count < MaxParsedNames) _parsed.TryAdd(text, feature);
        return true;
    }

    private const int MaxParsedNames = 4_096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FeatureRef> _parsed = new(StringComparer.Ordinal);

    private bool TryParseFeatureUncached(string text, out FeatureRef feature, out string problem)
    {
        feature = default;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1)
        {
            problem = $"'{text}' is not a feature name: write entity.feature, as in user.total_spend";
            return false;
        }
        var entity = FindEntity(text[..dot]);
        if (entity is null)
        {
            problem = $"'{text}' names no entity '{text[..dot]}'; the entities are {string.Join(", ", _entities.Keys)}";
            return false;
        }
        var found = entity.Find(text[(dot + 1)..]);
        if (found is null || found.Kind == FeatureKind.Now)
        {
            problem = $"'{text}' names no feature of {entity.Name}; its features are {string.Join(", ", entity.Features.Features.Where(f => f.Kind != FeatureKind.Now).Select(f => f.Name))}";
            return false;
        }
        feature = new FeatureRef(entity.Name, found.Name);
        problem = "";
        return true;
    }

    /// <summary>The online (or any) resolvers that give <paramref name="feature"/>, preferred ones first.</summary>
    public IEnumerable<ResolverNode> ResolversOf(FeatureRef feature, bool onlineOnly) =>
        Resolvers.Where(r => r.Entity.Name == feature.Entity && r.Outputs.Contains(feature.Feature) && (!onlineOnly || r.Resolver.Kind == ResolverKind.Online))
            .OrderBy(r => r.IsPreferred ? 0 : 1);

    /// <summary>
    /// The parent features a resolver of the related entity needs to fetch the rows of <paramref name="relation"/>: its inputs,
    /// each a feature of the parent or a join key of the related entity (read from the parent's side of the join); null when
    /// the resolver cannot serve the relation.
    /// </summary>
    public static IReadOnlyList<string>? RelationInputs(Relation relation, ResolverNode resolver)
    {
        if (resolver.Entity.Type != relation.RelatedType) return null;
        var parent = relation.EntityType.Name;
        var inputs = new List<string>();
        foreach (var input in resolver.Inputs)
        {
            if (input.Entity == parent) inputs.Add(input.Feature);
            else if (input.Entity == resolver.Entity.Name && relation.Keys.FirstOrDefault(k => k.Related == input.Feature) is { } key) inputs.Add(key.Entity);
            else return null;
        }
        return inputs.Count > 0 ? inputs : null;
    }

    /// <summary>Builds and checks the graph.</summary>
    /// <exception cref="EngineDefinitionException">The definitions do not fit together.</exception>
    /// <exception cref="FeatureDefinitionException">A feature set is not well defined.</exception>
    internal static EngineGraph Build(IEnumerable<FeatureSet> sets, IEnumerable<IResolver> resolvers, IReadOnlySet<string> preferred,
        IReadOnlyDictionary<string, TimeSpan> stalenessOverrides)
    {
        var entities = EntitiesOf(EntitySets(sets));
        var graph = new EngineGraph(entities, []);
        ApplyStaleness(graph, stalenessOverrides);
        var nodes = new List<ResolverNode>();
        foreach (var resolver in resolvers)
        {
            if (nodes.Any(n => n.Name == resolver.Name))
                throw new EngineDefinitionException(null, null, resolver.Name, "two resolvers have this name");
            nodes.Add(graph.Place(resolver, preferred.Contains(resolver.Name)));
        }
        foreach (var name in preferred.Where(p => nodes.All(n => n.Name != p)))
            throw new EngineDefinitionException(null, null, name, "is preferred, but no resolver has this name");

        var built = new EngineGraph(entities, nodes);
        EngineGraphChecks.Check(built);
        return built;
    }

    /// <summary>The given sets, and an empty set for every entity reached through a relation that has none.</summary>
    internal static IReadOnlyList<FeatureSet> EntitySets(IEnumerable<FeatureSet> sets)
    {
        var all = new List<FeatureSet>();
        var pending = new Queue<FeatureSet>(sets);
        while (pending.TryDequeue(out var set))
        {
            all.Add(set);
            foreach (var relation in set.Graph.Relations)
            {
                if (all.All(s => s.EntityType != relation.RelatedType) && pending.All(p => p.EntityType != relation.RelatedType))
                    pending.Enqueue(EmptySet(relation.RelatedType));
            }
        }
        return all;
    }

    /// <summary>One node per set; two sets of one entity, or two entity classes of one name, are errors.</summary>
    private static Dictionary<string, EntityNode> EntitiesOf(IEnumerable<FeatureSet> sets)
    {
        var entities = new Dictionary<string, EntityNode>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            if (entities.TryGetValue(set.EntityType.Name, out var known))
            {
                if (known.Type != set.EntityType)
                    throw new EngineDefinitionException(set.EntityType.Name, null, null, $"two entity classes have this name ({known.Type.FullName}, {set.EntityType.FullName})");
                throw new EngineDefinitionException(set.EntityType.Name, null, null, $"has two feature sets ({known.Set.Name}, {set.Name}); give one");
            }
            entities[set.EntityType.Name] = new EntityNode(set, EntityNode.DeclaredStaleness(set.EntityType));
        }
        return entities;
    }

    private static FeatureSet EmptySet(Type entity) =>
        (FeatureSet)typeof(EngineGraph).GetMethod(nameof(Empty), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(entity).Invoke(null, null)!;

    private static FeatureSet<T> Empty<T>() where T : class => new(_ => { }, typeof(T).Name + "Features");

    private static void ApplyStaleness(EngineGraph graph, IReadOnlyDictionary<string, TimeSpan> overrides)
    {
        foreach (var (name, staleness) in overrides)
        {
            if (!graph.TryParseFeature(name, out var feature, out var problem))
                throw new EngineDefinitionException(null, name, null, $"has a staleness, but {problem}");
            var entity = graph._entities[feature.Entity];
            ((Dictionary<string, TimeSpan>)entity.MaxStaleness)[feature.Feature] = staleness;
        }
    }

    /// <summary>The resolver with its entity, inputs and columns resolved to features.</summary>
    private ResolverNode Place(IResolver resolver, bool isPreferred)
    {
        var entity = FindEntity(resolver.Entity)
            ?? throw new EngineDefinitionException(resolver.Entity, null, resolver.Name, $"resolves an unknown entity; the entities are {string.Join(", ", _entities.Keys)}");
        var inputs = new List<FeatureRef>();
        foreach (var input in resolver.Inputs)
        {
            if (!TryParseFeature(input, out var feature, out var problem))
                throw new EngineDefinitionException(entity.Name, null, resolver.Name, $"takes input {problem}");
            inputs.Add(feature);
        }
        if (inputs.Count == 0) throw new EngineDefinitionException(entity.Name, null, resolver.Name, "takes no input; an online resolver is a lookup by key, as ${user.id}");

        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in resolver.Outputs)
        {
            var feature = entity.Find(column)
                ?? throw new EngineDefinitionException(entity.Name, column, resolver.Name, $"returns column '{column}', which names no feature of {entity.Name}");
            if (feature.Kind is not FeatureKind.Input)
                throw new EngineDefinitionException(entity.Name, feature.Name, resolver.Name,
                    $"returns column '{column}', but {entity.Name}.{feature.Name} is {(feature.Kind == FeatureKind.Relation ? "a relation" : "computed by its definition")}; a resolver gives input features only");
            if (columns.ContainsValue(feature.Name))
                throw new EngineDefinitionException(entity.Name, feature.Name, resolver.Name, "is returned by two columns");
            columns[column] = feature.Name;
        }
        return new ResolverNode(resolver, entity, inputs, columns, isPreferred);
    }

    private static string Loose(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}

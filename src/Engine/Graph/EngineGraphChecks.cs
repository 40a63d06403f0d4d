using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Graph;

/// <summary>
/// The checks an engine's definitions must pass when it is built, each failure an <see cref="EngineDefinitionException"/>
/// naming entity, feature and resolver: every feature can be produced, no two online resolvers give a feature by the same
/// inputs unless one is preferred, and no entity depends on itself through relations.
/// </summary>
internal static class EngineGraphChecks
{
    public static void Check(EngineGraph graph)
    {
        foreach (var entity in graph.Entities)
        {
            foreach (var feature in entity.Features.Features)
            {
                if (feature.Kind == FeatureKind.Input && !feature.IsPrimaryKey) CheckProduced(graph, entity, feature);
                if (feature.Kind == FeatureKind.Relation) CheckRelation(graph, entity, feature.Relation!);
            }
        }
        CheckConflicts(graph);
        CheckCycles(graph);
    }

    /// <summary>An input feature (other than the key, which queries give) needs a resolver that returns it.</summary>
    private static void CheckProduced(EngineGraph graph, EntityNode entity, Feature feature)
    {
        if (graph.ResolversOf(new FeatureRef(entity.Name, feature.Name), onlineOnly: false).Any()) return;
        throw new EngineDefinitionException(entity.Name, feature.Name, null,
            "nothing can produce it: it is an input, and no resolver returns it (add a column to a resolver of "
            + $"{entity.Name}, or define it in {entity.Set.Name})");
    }

    /// <summary>A has-many relation needs a resolver of the related entity that takes the parent's features.</summary>
    private static void CheckRelation(EngineGraph graph, EntityNode entity, Relation relation)
    {
        if (relation.Kind == RelationKind.HasOne) return; // served by the related entity's lookup, checked with its features
        if (graph.Resolvers.Any(r => EngineGraph.RelationInputs(relation, r) is not null)) return;
        var keys = string.Join(", ", relation.Keys.Select(k => $"${{{entity.Name.ToLowerInvariant()}.{k.Entity.ToLowerInvariant()}}}"));
        throw new EngineDefinitionException(entity.Name, relation.Name, null,
            $"nothing can produce it: no resolver of {relation.RelatedType.Name} takes {entity.Name}'s keys ({keys}) to fetch its rows");
    }

    /// <summary>Two online resolvers giving one feature from the same inputs need a rule: one of them preferred.</summary>
    private static void CheckConflicts(EngineGraph graph)
    {
        var online = graph.Resolvers.Where(r => r.Resolver.Kind == ResolverKind.Online).ToList();
        for (var i = 0; i < online.Count; i++)
        {
            for (var j = i + 1; j < online.Count; j++)
            {
                var (a, b) = (online[i], online[j]);
                if (a.Entity != b.Entity || !a.Inputs.SequenceEqual(b.Inputs) || a.IsPreferred != b.IsPreferred) continue;
                var inputs = a.Inputs.Select(x => x.Feature).ToHashSet();
                var shared = a.Outputs.Intersect(b.Outputs).FirstOrDefault(f => !inputs.Contains(f) && a.Entity.Find(f)?.IsPrimaryKey != true);
                if (shared is null) continue;
                throw new EngineDefinitionException(a.Entity.Name, shared, a.Name,
                    $"two online resolvers give it from the same inputs ('{a.Name}' and '{b.Name}'); prefer one (FeatureEngineBuilder.Prefer)");
            }
        }
    }

    /// <summary>
    /// Entity A depends on entity B when a computed feature of A reads A's relation to B (B's rows, and B's features over
    /// them, must be ready first). A cycle of such dependencies has no order to compute in.
    /// </summary>
    private static void CheckCycles(EngineGraph graph)
    {
        var edges = graph.Entities.ToDictionary(e => e.Name, e => Dependencies(e).ToList());
        var done = new HashSet<string>();
        var path = new List<(string Entity, string Why)>();

        void Visit(string entity, string why)
        {
            if (done.Contains(entity)) return;
            var at = path.FindIndex(p => p.Entity == entity);
            if (at >= 0)
            {
                var cycle = path.Skip(at + 1).Select(p => p.Why).Append(why).ToList();
                throw new EngineDefinitionException(entity, null, null, $"entities depend on each other in a cycle: {string.Join(" -> ", cycle)}");
            }
            path.Add((entity, why));
            foreach (var (target, reason) in edges[entity]) Visit(target, reason);
            path.RemoveAt(path.Count - 1);
            done.Add(entity);
        }

        // Each step of a path records why it was reached: "User.TotalSpend reads User.Transactions (Transaction)".
        foreach (var entity in graph.Entities) Visit(entity.Name, entity.Name);
    }

    private static IEnumerable<(string Target, string Why)> Dependencies(EntityNode entity)
    {
        foreach (var feature in entity.Features.Computed)
        {
            foreach (var dependency in feature.Dependencies)
            {
                if (entity.Features[dependency].Relation is { } relation)
                    yield return (relation.RelatedType.Name, $"{entity.Name}.{feature.Name} reads {entity.Name}.{relation.Name} ({relation.RelatedType.Name})");
            }
        }
    }
}

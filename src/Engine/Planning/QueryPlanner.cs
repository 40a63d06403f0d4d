using System.Collections.Concurrent;
using Dsl.Engine.Graph;
using Dsl.Engine.Resolvers;
using Dsl.Runtime;

namespace Dsl.Engine.Planning;

/// <summary>
/// Makes query plans: from the features a query gives to the features it asks for, through online resolvers (lookups of the
/// entity's row, fetches of related rows) and one computation of the entity's compiled features. Plans are cached per shape
/// (entity, given features, features to produce).
/// </summary>
/// <remarks>
/// Choosing: a feature already given is used as is; an input feature comes from the first online lookup resolver that returns
/// it (preferred resolvers first) whose own inputs can be had; a has-many relation from the first online resolver of the related
/// entity keyed by the parent's features; a computed feature from its definition once everything it reads can be had. A feature
/// that cannot be had is not an error of the whole query: the plan lists it as unplannable, and it fails alone.
/// </remarks>
public sealed class QueryPlanner
{
    private readonly EngineGraph _graph;
    private readonly ConcurrentDictionary<string, QueryPlan> _cache = new(StringComparer.Ordinal);

    /// <summary>A planner over <paramref name="graph"/>.</summary>
    public QueryPlanner(EngineGraph graph) => _graph = graph;

    /// <summary>The number of plans made so far (one per shape).</summary>
    public int CachedPlans => _cache.Count;

    /// <summary>The plan producing <paramref name="outputs"/> of <paramref name="entity"/> from <paramref name="known"/>, made once per shape.</summary>
    public QueryPlan Plan(EntityNode entity, IReadOnlyCollection<string> known, IReadOnlyCollection<string> outputs) => Plan(entity, known, outputs, offline: false);

    /// <summary>
    /// The plan of an online query, or with <paramref name="offline"/> of an offline recomputation: offline resolvers may serve it
    /// too, and are preferred over online ones giving the same feature (the warehouse is the offline source of truth).
    /// </summary>
    internal QueryPlan Plan(EntityNode entity, IReadOnlyCollection<string> known, IReadOnlyCollection<string> outputs, bool offline)
    {
        // Queries of one shape name their features in the same order: that order finds the plan without sorting or a key string.
        var asGiven = new ShapeKey(offline, entity, known, outputs);
        if (_byOrder.TryGetValue(asGiven, out var cached)) return cached;
        var key = $"{(offline ? "offline" : "online")}|{entity.Name}|{string.Join(",", known.Order(StringComparer.Ordinal))}|{string.Join(",", outputs.Order(StringComparer.Ordinal))}";
        var plan = _cache.GetOrAdd(key, _ => new Builder(this, _graph, entity, known, offline).Build(outputs));
        if (_byOrder.Count < MaxOrders) _byOrder.TryAdd(new ShapeKey(offline, entity, known.ToArray(), outputs.ToArray()), plan);
        return plan;
    }

    private const int MaxOrders = 4_096;
    private readonly ConcurrentDictionary<ShapeKey, QueryPlan> _byOrder = new(ShapeKeyComparer.Instance);

    /// <summary>A plan's shape with its feature names in the order a query gave them (compared element by element).</summary>
    private readonly record struct ShapeKey(bool Offline, EntityNode Entity, IReadOnlyCollection<string> Known, IReadOnlyCollection<string> Outputs);

    private sealed class ShapeKeyComparer : IEqualityComparer<ShapeKey>
    {
        public static ShapeKeyComparer Instance { get; } = new();

        public bool Equals(ShapeKey x, ShapeKey y) =>
            x.Offline == y.Offline && ReferenceEquals(x.Entity, y.Entity) && SameNames(x.Known, y.Known) && SameNames(x.Outputs, y.Outputs);

        public int GetHashCode(ShapeKey key)
        {
            var hash = new HashCode();
            hash.Add(key.Offline);
            hash.Add(key.Entity.Name, StringComparer.Ordinal);
            foreach (var name in key.Known) hash.Add(name, StringComparer.Ordinal);
            hash.Add(-1);
            foreach (var name in key.Outputs) hash.Add(name, StringComparer.Ordinal);
            return hash.ToHashCode();
        }

        private static bool SameNames(IReadOnlyCollection<string> x, IReadOnlyCollection<string> y)
        {
            if (x.Count != y.Count) return false;
            using var left = x.GetEnumerator();
            using var right = y.GetEnumerator();
            while (left.MoveNext() && right.MoveNext())
            {
                if (!string.Equals(left.Current, right.Current, StringComparison.Ordinal)) return false;
            }
            return true;
        }
    }

    /// <summary>One plan being made.</summary>
    private sealed class Builder(QueryPlanner planner, EngineGraph graph, EntityNode entity, IReadOnlyCollection<string> known, bool offline)
    {
        /// <summary>The resolvers this plan may use, offline ones first when planning offline.</summary>
        private IEnumerable<ResolverNode> Usable(IEnumerable<ResolverNode> resolvers) => offline
            ? resolvers.OrderBy(r => r.Resolver.Kind == ResolverKind.Offline ? 0 : 1)
            : resolvers.Where(r => r.Resolver.Kind == ResolverKind.Online);

        private readonly List<PlanStep> _steps = [];
        private readonly Dictionary<string, int> _producedBy = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _unplannable = new(StringComparer.Ordinal);
        private readonly HashSet<string> _known = new(known, StringComparer.Ordinal);
        private readonly List<Feature> _computed = [];
        private readonly HashSet<string> _visiting = new(StringComparer.Ordinal);

        public QueryPlan Build(IReadOnlyCollection<string> outputs)
        {
            foreach (var output in outputs) Require(output);
            if (_computed.Count > 0) AddCompute();
            var bases = outputs.ToDictionary(o => o, o => BasesOf(o).ToArray(), StringComparer.Ordinal);
            return new QueryPlan(entity, [.. known], [.. outputs], _steps, _producedBy, _unplannable, bases);
        }

        /// <summary>Plans how to have <paramref name="name"/>; false (with the reason in the unplannable list) when it cannot be had.</summary>
        private bool Require(string name)
        {
            if (_known.Contains(name) || _producedBy.ContainsKey(name) || _computed.Any(c => c.Name == name)) return true;
            if (_unplannable.ContainsKey(name)) return false;
            if (!_visiting.Add(name)) return Fail(name, "it is needed to fetch itself");
            try
            {
                var feature = entity.Features[name];
                return feature.Kind switch
                {
                    FeatureKind.Now => true,
                    FeatureKind.Input => RequireLookup(feature),
                    FeatureKind.Relation when feature.Relation!.Kind == RelationKind.HasMany => RequireRelatedRows(feature.Relation),
                    FeatureKind.Relation => RequireHasOne(feature.Relation!),
                    _ => RequireComputed(feature),
                };
            }
            finally
            {
                _visiting.Remove(name);
            }
        }

        private bool RequireLookup(Feature feature)
        {
            var candidates = Usable(graph.ResolversOf(new FeatureRef(entity.Name, feature.Name), onlineOnly: false)).Where(r => r.IsLookup).ToList();
            foreach (var resolver in candidates)
            {
                if (!resolver.Inputs.All(i => i.Feature != feature.Name && Require(i.Feature))) continue;
                var existing = _steps.FirstOrDefault(s => s.Resolver == resolver);
                // A lookup returns its keys too (`SELECT id, name … WHERE id = ${user.id}`), but the query gave them: the step does not
                // produce them, so steps keyed by the same given features do not wait for it (the user's lookup and the fetch of its
                // transactions run at once), and a failed lookup does not fail what only reads those keys.
                var produced = resolver.Outputs.Where(o => !_known.Contains(o)).ToList();
                var index = existing?.Index ?? Add(new LookupStep(_steps.Count, After(resolver.Inputs.Select(i => i.Feature)), resolver, produced,
                    keyedByGiven: resolver.Inputs.All(i => _known.Contains(i.Feature))));
                foreach (var output in produced) _producedBy.TryAdd(output, index);
                return true;
            }

            var offline = graph.ResolversOf(new FeatureRef(entity.Name, feature.Name), onlineOnly: false).Where(r => r.Resolver.Kind != ResolverKind.Online).Select(r => r.Name).ToList();
            return Fail(feature.Name, candidates.Count == 0
                ? $"no online resolver returns it{(offline.Count == 0 ? "" : $" (only offline: {string.Join(", ", offline)})")}"
                : $"its online resolvers ({string.Join(", ", candidates.Select(c => c.Name))}) need features that cannot be had: "
                  + string.Join("; ", candidates.SelectMany(c => c.Inputs).Where(i => _unplannable.ContainsKey(i.Feature)).Select(i => $"{i}: {_unplannable[i.Feature]}").Distinct()));
        }

        private bool RequireRelatedRows(Relation relation)
        {
            foreach (var resolver in Usable(graph.Resolvers))
            {
                if (EngineGraph.RelationInputs(relation, resolver) is not { } inputs || !inputs.All(Require)) continue;
                var related = graph.Entity(relation.RelatedType);
                var (plan, verdicts) = RelatedPlan(related, resolver);
                _producedBy[relation.Name] = Add(new RelatedRowsStep(_steps.Count, After(inputs), resolver, relation, inputs, plan, verdicts));
                return true;
            }
            return Fail(relation.Name, $"no online resolver of {relation.RelatedType.Name} takes {entity.Name}'s keys to fetch its rows");
        }

        /// <summary>
        /// The related row of a has-one relation: the entity's foreign keys, then a plan of the related entity from its keys to the
        /// features read through the relation (every one of them when a definition reads the related row whole).
        /// </summary>
        private bool RequireHasOne(Relation relation)
        {
            var foreignKeys = relation.Keys.Select(k => k.Entity).ToList();
            if (foreignKeys.FirstOrDefault(k => !Require(k)) is { } missing)
                return Fail(relation.Name, $"its key {entity.Name}.{missing} cannot be had: {_unplannable[missing]}");
            var related = graph.Entity(relation.RelatedType);
            var members = HasOneMembers(relation, related);
            var relatedKeys = relation.Keys.Select(k => k.Related).ToList();
            var plan = planner.Plan(related, relatedKeys, members.Where(m => !relatedKeys.Contains(m)).ToList(), offline);
            if (plan.Unplannable.Count > 0)
                return Fail(relation.Name, string.Join("; ", plan.Unplannable.Select(u => $"{related.Name}.{u.Key} cannot be had: {u.Value}")));
            _producedBy[relation.Name] = Add(new HasOneStep(_steps.Count, After(foreignKeys), relation, members, plan));
            return true;
        }

        /// <summary>The related entity's features the entity's definitions read through <paramref name="relation"/>, in its order.</summary>
        private List<string> HasOneMembers(Relation relation, EntityNode related)
        {
            var readers = entity.Features.Computed.Where(f => f.Dependencies.Contains(relation.Name)).ToList();
            var inputs = SubPlan(entity, readers).Plan.Inputs.Select(i => i.Name).ToList();
            var whole = inputs.Contains($"$one:{relation.Name}");
            var prefix = $"$one:{relation.Name}.";
            var read = inputs.Where(i => i.StartsWith(prefix, StringComparison.Ordinal)).Select(i => i[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
            return [.. related.Features.Features
                .Where(f => f.Kind is not (FeatureKind.Relation or FeatureKind.Now) && (whole || read.Contains(f.Name) || relation.Keys.Any(k => k.Related == f.Name)))
                .Select(f => f.Name)];
        }

        private bool RequireComputed(Feature feature)
        {
            var missing = feature.Dependencies.Where(d => !Require(d)).ToList();
            if (missing.Count > 0)
                return Fail(feature.Name, string.Join("; ", missing.Select(m => $"it reads {entity.Name}.{m}, which cannot be had: {_unplannable[m]}")));
            _computed.Add(feature);
            return true;
        }

        private bool Fail(string name, string reason)
        {
            _unplannable[name] = reason;
            return false;
        }

        private int Add(PlanStep step)
        {
            _steps.Add(step);
            return step.Index;
        }

        /// <summary>The steps that give any of <paramref name="features"/>.</summary>
        private int[] After(IEnumerable<string> features) =>
            [.. features.Where(_producedBy.ContainsKey).Select(f => _producedBy[f]).Distinct().Order()];

        /// <summary>One computation of every computed feature required, in the graph's order (each after what it reads).</summary>
        private void AddCompute()
        {
            var names = _computed.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var ordered = entity.Features.Computed.Where(f => names.Contains(f.Name)).ToList();
            var (plan, verdicts) = SubPlan(entity, ordered);
            var reads = ordered.SelectMany(f => f.Dependencies).Where(d => !names.Contains(d)).Distinct().ToList();
            var relations = reads.Where(r => entity.Features[r].Kind == FeatureKind.Relation).ToList();
            var index = Add(new ComputeStep(_steps.Count, After(reads), entity, plan, verdicts, relations));
            foreach (var feature in ordered) _producedBy[feature.Name] = index;
        }

        /// <summary>The related entity's computed features whose inputs the fetch returns, to compute over the fetched rows.</summary>
        private static (FeaturePlan? Plan, IReadOnlyList<FeatureVerdict> Verdicts) RelatedPlan(EntityNode related, ResolverNode fetch)
        {
            var returned = fetch.Outputs.ToHashSet(StringComparer.Ordinal);
            var computable = new HashSet<string>(StringComparer.Ordinal);
            foreach (var feature in related.Features.Computed)
            {
                if (feature.Dependencies.All(d => returned.Contains(d) || computable.Contains(d) || d == Feature.NowName)) computable.Add(feature.Name);
            }
            if (computable.Count == 0) return (null, []);
            var (plan, verdicts) = SubPlan(related, related.Features.Computed.Where(f => computable.Contains(f.Name)).ToList());
            return (plan, verdicts);
        }

        private HashSet<string> BasesOf(string name)
        {
            var bases = new HashSet<string>(StringComparer.Ordinal);
            void Visit(string feature)
            {
                var found = entity.Find(feature);
                if (found is null || _known.Contains(feature)) return;
                if (found.Kind is FeatureKind.Input or FeatureKind.Relation) bases.Add(feature);
                foreach (var dependency in found.Dependencies) Visit(dependency);
            }
            Visit(name);
            return bases;
        }
    }

    /// <summary>A runtime plan of exactly <paramref name="features"/> (compiled once per entity, shared by every sub-plan).</summary>
    internal static (FeaturePlan Plan, IReadOnlyList<FeatureVerdict> Verdicts) SubPlan(EntityNode entity, IReadOnlyList<Feature> features)
    {
        var compiled = entity.Compiled;
        var verdicts = features.Select(f => compiled.Verdicts.First(v => v.Feature == f.Name)).ToList();
        var planned = features.Select((f, i) => new PlannedFeature(f.Name, verdicts[i].Function,
            verdicts[i].Function.Parameters.Select((p, k) => (p.Name, Feature: f.Dependencies[k])).ToDictionary(b => b.Name, b => b.Feature, StringComparer.Ordinal),
            f.Window)).ToList();
        var read = features.SelectMany(f => f.Dependencies).ToHashSet(StringComparer.Ordinal);
        var relations = entity.Features.Relations.Where(r => read.Contains(r.Name))
            .Select(r => new RelationInput(r.Name, r.RelatedType, [.. r.Keys.Select(k => k.Entity)], [.. r.Keys.Select(k => k.Related)], r.EventTime)
            {
                HasOne = r.Kind == RelationKind.HasOne,
            });
        return (FeaturePlan.Create(planned, relations), verdicts);
    }
}

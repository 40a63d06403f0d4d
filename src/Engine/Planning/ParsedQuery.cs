using Dsl.Engine.Graph;
using Dsl.Engine.Values;

namespace Dsl.Engine.Planning;

/// <summary>A query checked against the graph: one entity, its given features with values of their types, the features asked for.</summary>
internal sealed class ParsedQuery
{
    private ParsedQuery(EntityNode entity, Dictionary<string, object?> known, IReadOnlyList<string> outputs, IReadOnlyDictionary<string, TimeSpan> staleness)
    {
        Entity = entity;
        Known = known;
        Outputs = outputs;
        Staleness = staleness;
    }

    public EntityNode Entity { get; }

    /// <summary>Given feature → value (converted to the feature's type).</summary>
    public Dictionary<string, object?> Known { get; }

    /// <summary>Requested features, each once, in the order asked.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Requested feature → the staleness a stored value may have (absent: always computed).</summary>
    public IReadOnlyDictionary<string, TimeSpan> Staleness { get; }

    /// <summary>The primary key's value when the query gives it (what the store is keyed by).</summary>
    public object? Key => Entity.PrimaryKey is { } key ? Known.GetValueOrDefault(key.Name) : null;

    /// <summary>The name results use for a feature: <c>User.TotalSpend</c>.</summary>
    public string Qualified(string feature) => Entity.Qualified(feature);

    /// <exception cref="QueryException">What is wrong with the query, naming the feature.</exception>
    public static ParsedQuery Parse(EngineGraph graph, IReadOnlyDictionary<string, object?> inputs, IReadOnlyList<string> outputs, QueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count == 0) throw new QueryException("The query gives no input; give the entity's key, as user.id=42.");
        if (outputs.Count == 0) throw new QueryException("The query asks for no output; name features, as user.total_spend.");
        var plain = options.MaxStaleness is null || options.MaxStaleness.Count == 0;
        if (plain && graph.OutputShapes.TryGet(outputs, out var shape) && TryKnown(graph, shape.Entity, inputs) is { } given)
            return new ParsedQuery(shape.Entity, given, shape.Outputs, shape.Staleness);

        EntityNode? entity = null;
        FeatureRef Resolve(string name, string role)
        {
            if (name is null) throw new QueryException($"The {role} has no name.");
            if (!graph.TryParseFeature(name, out var feature, out var problem)) throw new QueryException($"The {role} {problem}.");
            entity ??= graph.FindEntity(feature.Entity);
            if (entity!.Name != feature.Entity)
                throw new QueryException($"The {role} '{name}' is a feature of {feature.Entity}, but the query is about {entity.Name}; a query is about one entity.");
            return feature;
        }

        var known = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in inputs)
        {
            var feature = Resolve(name, "input");
            var definition = entity!.Features[feature.Feature];
            if (definition.Kind == FeatureKind.Relation)
                throw new QueryException($"The input '{name}' is the relation {feature}; give keys and features, not related rows.");
            if (!known.TryAdd(feature.Feature, InputValues.Convert(value, definition.Type, feature.ToString())))
                throw new QueryException($"The input {feature} is given twice.");
        }

        var requested = new List<string>();
        foreach (var name in outputs)
        {
            var feature = Resolve(name, "output");
            if (entity!.Features[feature.Feature].Kind == FeatureKind.Relation)
                throw new QueryException($"The output '{name}' is the relation {feature}; ask for features computed over it.");
            if (!requested.Contains(feature.Feature)) requested.Add(feature.Feature);
        }

        var staleness = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var output in requested)
        {
            if (entity!.MaxStaleness.TryGetValue(output, out var declared) && declared != TimeSpan.Zero) staleness[output] = declared;
        }
        foreach (var (name, value) in options.MaxStaleness ?? new Dictionary<string, TimeSpan>())
        {
            var feature = Resolve(name, "staleness override");
            if (value < TimeSpan.Zero && value != Graph.Staleness.Infinite) throw new QueryException($"The staleness of {feature} is negative.");
            if (value == TimeSpan.Zero) staleness.Remove(feature.Feature);
            else if (requested.Contains(feature.Feature)) staleness[feature.Feature] = value;
        }
        if (plain) graph.OutputShapes.Add(outputs, new OutputShape(entity!, requested, staleness));
        return new ParsedQuery(entity!, known, requested, staleness);
    }

    /// <summary>
    /// The inputs converted, when each names a feature (not a relation) of <paramref name="entity"/> once; else null, and the query
    /// is parsed in full (which says what is wrong, in the order it always has).
    /// </summary>
    private static Dictionary<string, object?>? TryKnown(EngineGraph graph, EntityNode entity, IReadOnlyDictionary<string, object?> inputs)
    {
        var known = new Dictionary<string, object?>(inputs.Count, StringComparer.Ordinal);
        foreach (var (name, value) in inputs)
        {
            if (name is null || !graph.TryParseFeature(name, out var feature, out _) || feature.Entity != entity.Name) return null;
            var definition = entity.Features[feature.Feature];
            if (definition.Kind == FeatureKind.Relation) return null;
            if (!known.TryAdd(feature.Feature, InputValues.Convert(value, definition.Type, feature.ToString()))) return null;
        }
        return known;
    }

    /// <summary>
    /// Many queries of one shape (a bulk query): the same outputs and options, inputs per entity. Every entity must give the same
    /// features of the same entity, so one plan serves them all.
    /// </summary>
    /// <exception cref="QueryException">No entity is given, one of them is not a valid query, or they differ in shape.</exception>
    public static IReadOnlyList<ParsedQuery> ParseMany(EngineGraph graph, IReadOnlyList<IReadOnlyDictionary<string, object?>> inputs,
        IReadOnlyList<string> outputs, QueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new QueryException("The query gives no entities; give at least one set of inputs, as user.id=42.");
        var queries = new List<ParsedQuery>(inputs.Count);
        foreach (var given in inputs)
        {
            ParsedQuery query;
            try
            {
                query = Parse(graph, given, outputs, options);
            }
            catch (QueryException e) when (inputs.Count > 1)
            {
                throw new QueryException($"Entity {queries.Count + 1} of {inputs.Count}: {e.Message}");
            }
            if (queries.Count > 0 && (query.Entity != queries[0].Entity || !query.Known.Keys.ToHashSet(StringComparer.Ordinal).SetEquals(queries[0].Known.Keys)))
                throw new QueryException($"Entity {queries.Count + 1} of {inputs.Count} gives {Names(query)}, but the first gives {Names(queries[0])}; "
                                         + "every entity of a query gives the same features.");
            queries.Add(query);
        }
        return queries;
    }

    private static string Names(ParsedQuery query) => string.Join(", ", query.Known.Keys.Select(query.Qualified));
}

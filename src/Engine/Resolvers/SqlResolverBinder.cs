using Dsl.Engine.Sources;
using Dsl.Features;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// Resolves a parsed resolver's names: the entity (a feature set's entity class name), the source, and each
/// parameter's entity and feature, with the DSL's matching rules (<see cref="FeatureNames"/>: exact, then ignoring
/// case, then ignoring underscores too). Errors name the file and line and list the names that exist.
/// </summary>
internal static class SqlResolverBinder
{
    public static BoundSqlResolver Bind(SqlResolver resolver, IReadOnlyList<FeatureSet> featureSets, IReadOnlyList<DataSource> sources)
    {
        var entity = FindEntity(resolver, featureSets, resolver.Entity, resolver.EntityHeader.Line, "");
        var source = FindSource(resolver, sources);
        var keys = resolver.Parameters.Select(p => BindParameter(resolver, featureSets, p)).ToList();
        return new BoundSqlResolver(resolver, entity, source, keys);
    }

    private static FeatureSet FindEntity(SqlResolver resolver, IReadOnlyList<FeatureSet> featureSets, string name, int line, string where)
    {
        var names = featureSets.Select(s => s.EntityType.Name).Distinct().ToList();
        var found = FeatureNames.Find(name, names, out var ambiguous);
        if (found is not null)
        {
            var sets = featureSets.Where(s => s.EntityType.Name == found).ToList();
            if (sets.Count == 1) return sets[0];
            throw new SqlResolverException(resolver.File, line, $"{where}the entity '{name}' has {sets.Count} feature sets ({string.Join(", ", sets.Select(s => s.Name))}); give the engine one");
        }
        if (ambiguous.Count > 0)
            throw new SqlResolverException(resolver.File, line, $"{where}the entity '{name}' matches {string.Join(" and ", ambiguous)}; write it exactly");
        throw new SqlResolverException(resolver.File, line, $"{where}unknown entity '{name}'{Hint(name, names)}; the entities are {List(names)}");
    }

    private static DataSource FindSource(SqlResolver resolver, IReadOnlyList<DataSource> sources)
    {
        var name = resolver.Source;
        var names = sources.Select(s => s.Name).ToList();
        var found = FeatureNames.Find(name, names, out var ambiguous);
        if (found is not null) return sources.First(s => s.Name == found);
        var line = resolver.SourceHeader.Line;
        if (ambiguous.Count > 0)
            throw new SqlResolverException(resolver.File, line, $"the source '{name}' matches {string.Join(" and ", ambiguous)}; write it exactly");
        throw new SqlResolverException(resolver.File, line, $"unknown source '{name}'{Hint(name, names)}; the sources are {List(names)}");
    }

    private static ResolverKey BindParameter(SqlResolver resolver, IReadOnlyList<FeatureSet> featureSets, SqlParameterReference parameter)
    {
        var where = $"column {parameter.Column}: in {parameter}, ";
        var set = FindEntity(resolver, featureSets, parameter.Entity, parameter.Line, where);
        var graph = set.Graph;
        var names = graph.Features.Where(f => f.Kind is not (FeatureKind.Relation or FeatureKind.Now)).Select(f => f.Name).ToList();
        var found = FeatureNames.Find(parameter.Feature, names, out var ambiguous);
        if (found is null)
        {
            var problem = ambiguous.Count > 0
                ? $"'{parameter.Feature}' matches {string.Join(" and ", ambiguous)} of {set.EntityType.Name}; write it exactly"
                : $"{set.EntityType.Name} has no feature '{parameter.Feature}'{Hint(parameter.Feature, names)}";
            throw new SqlResolverException(resolver.File, parameter.Line, where + problem);
        }
        var feature = graph[found];
        var type = Nullable.GetUnderlyingType(feature.Type) ?? feature.Type;
        if (!SqlKeyValues.IsKeyType(type))
            throw new SqlResolverException(resolver.File, parameter.Line,
                $"{where}{set.EntityType.Name}.{feature.Name} is {feature.TypeName}, which cannot be a lookup key (keys are integers, strings, booleans, Guid, DateTime or DateOnly)");
        return new ResolverKey(parameter, set, feature);
    }

    private static string Hint(string name, IEnumerable<string> candidates) =>
        FeatureNames.Suggest(name, candidates) is { } close ? $" (did you mean '{close}'?)" : "";

    private static string List(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}

/// <summary>A parameter of a lookup, bound: the feature whose values are the keys.</summary>
/// <param name="Reference">The <c>${entity.feature}</c> as written.</param>
/// <param name="Entity">The feature set of the entity it names.</param>
/// <param name="Feature">The feature whose value is the key.</param>
public sealed record ResolverKey(SqlParameterReference Reference, FeatureSet Entity, Feature Feature);

using Apache.Arrow;
using Dsl.Codegen.Columns;
using Dsl.Features;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// Maps a resolver's result columns to features of its entity by name, with the DSL's rules (exact, then ignoring
/// case, then ignoring underscores too: <c>full_name</c> gives <c>FullName</c>), and checks each column's type: it
/// must bind to the feature (<see cref="ColumnTypes.CanBind"/>) or widen to it without loss (<see cref="ColumnWidening"/>).
/// </summary>
internal static class SqlOutputMapping
{
    public static IReadOnlyList<SqlOutputColumn> Map(SqlResolver resolver, FeatureSet entity, Schema schema)
    {
        var graph = entity.Graph;
        var entityName = entity.EntityType.Name;
        var candidates = graph.Features.Where(f => f.Kind is not (FeatureKind.Relation or FeatureKind.Now)).Select(f => f.Name).ToList();
        var outputs = new List<SqlOutputColumn>();
        for (var i = 0; i < schema.FieldsList.Count; i++)
        {
            var field = schema.FieldsList[i];
            var name = field.Name;
            if (string.Equals(name, "__key", StringComparison.OrdinalIgnoreCase))
                throw Error(resolver, $"the column name '{name}' is reserved for the lookup's key index; rename it");
            var found = FeatureNames.Find(name, candidates, out var ambiguous);
            if (found is null)
            {
                if (ambiguous.Count > 0) throw Error(resolver, $"column '{name}' matches the features {string.Join(" and ", ambiguous)} of {entityName}; rename it with AS");
                var relation = FeatureNames.Find(name, graph.Features.Where(f => f.Kind == FeatureKind.Relation).Select(f => f.Name), out _);
                if (relation is not null) throw Error(resolver, $"column '{name}' is the relation {graph[relation].Relation}; its rows come from {graph[relation].Relation!.RelatedType.Name}'s resolvers");
                var hint = FeatureNames.Suggest(name, candidates) is { } close ? $" (did you mean '{close}'?)" : "";
                throw Error(resolver, $"column '{name}' maps to no feature of {entityName}{hint}; rename it with AS or leave it out. The features are {string.Join(", ", candidates)}");
            }

            var feature = graph[found];
            if (outputs.FirstOrDefault(o => o.Feature == feature) is { } earlier)
                throw Error(resolver, $"columns '{earlier.Column}' and '{name}' both map to {entityName}.{feature.Name}");
            outputs.Add(new SqlOutputColumn(name, i, feature, field.DataType, Target(resolver, entityName, field, feature)));
        }
        return outputs;
    }

    private static Apache.Arrow.Types.IArrowType Target(SqlResolver resolver, string entity, Field field, Feature feature)
    {
        if (ColumnTypes.CanBind(field.DataType, feature.Type)) return field.DataType;
        if (ColumnWidening.Target(field.DataType, feature.Type) is { } widened) return widened;
        var reads = ColumnTypes.ClrTypeOf(field.DataType) is { } clr ? $", read as {TypeNames.CSharpName(clr)}" : "";
        throw Error(resolver,
            $"column '{field.Name}' has type {Dsl.ArrowExtensions.Types.ArrowTypes.Describe(field.DataType)}{reads}, but {entity}.{feature.Name} is {feature.TypeName}; " +
            "cast it in the SQL to a type that converts without loss");
    }

    private static SqlResolverException Error(SqlResolver resolver, string problem) => new(resolver.File, 0, problem);
}

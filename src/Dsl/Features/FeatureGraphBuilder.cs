using System.Linq.Expressions;
using System.Reflection;
using Dsl.Expressions;

namespace Dsl.Features;

/// <summary>
/// Builds and checks a feature graph: one <see cref="Feature"/> per entity property, each definition
/// resolved to a function of named features, then names, types and cycles checked.
/// </summary>
/// <remarks>
/// Invariant of the result: every dependency names a feature of the entity, every function parameter
/// accepts its feature's type, every function's result converts to its feature's type, there is no cycle,
/// and <see cref="FeatureGraph.Features"/> lists each computed feature after its dependencies.
/// </remarks>
internal static partial class FeatureGraphBuilder
{
    public static FeatureGraph Build(Type entity, IReadOnlyList<FeatureDefinition> definitions, IReadOnlyList<RelationDeclaration> relationDeclarations)
    {
        var relations = RelationDiscovery.Discover(entity, relationDeclarations);
        var features = ReadProperties(entity, relations);
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var name = definition.Property.Name;
            if (definition.Property.DeclaringType?.IsAssignableFrom(entity) != true || (!features.ContainsKey(name) && definition.Kind != FeatureKind.Windowed))
                throw new FeatureDefinitionException(entity.Name, name, $"is not a public property of {entity.Name}");
            if (!defined.Add(name)) throw new FeatureDefinitionException(entity.Name, name, "is defined more than once");
            if (definition.Kind == FeatureKind.Windowed)
            {
                BindWindowed(entity, definition, features);
                continue;
            }

            var feature = features[name];
            if (feature.IsPrimaryKey) throw new FeatureDefinitionException(entity.Name, name, "is the primary key, an input; it cannot be computed");
            if (feature.Kind == FeatureKind.Relation) throw new FeatureDefinitionException(entity.Name, name, $"is a relation ({feature.Relation}); its rows come from {feature.Relation!.RelatedType.Name}'s data and cannot be computed");
            feature.Kind = definition.Kind;
            switch (definition.Kind)
            {
                case FeatureKind.Expression:
                    BindExpression(entity, feature, (LambdaExpression)definition.Definition, features);
                    break;
                case FeatureKind.StringExpression:
                    BindString(entity, feature, (string)definition.Definition, features);
                    break;
                default:
                    BindResolver(entity, feature, (Delegate)definition.Definition, definition.Bindings, features);
                    break;
            }
        }
        foreach (var windowed in features.Values.Where(f => IsWindowedProperty(f.Type) && f.Kind == FeatureKind.Input).ToList())
            throw new FeatureDefinitionException(entity.Name, windowed.Name, $"is {windowed.TypeName} but has no Windowed(...) definition");
        var ordered = Order(entity, features.Values.Where(f => !IsWindowedProperty(f.Type)).ToList());
        return new FeatureGraph(entity, ordered, [.. relations.Values]);
    }

    private static bool IsWindowedProperty(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Windowed<>);

    private static Dictionary<string, Feature> ReadProperties(Type entity, IReadOnlyDictionary<string, Relation> relations)
    {
        var nullability = new NullabilityInfoContext();
        var features = new Dictionary<string, Feature>(StringComparer.Ordinal);
        foreach (var property in entity.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is null || property.GetIndexParameters().Length > 0) continue;
            var type = property.PropertyType;
            var nullable = type.IsValueType
                ? Nullable.GetUnderlyingType(type) is not null
                : nullability.Create(property).ReadState != NullabilityState.NotNull;
            var isKey = property.GetCustomAttribute<PrimaryKeyAttribute>() is not null;
            var relation = relations.GetValueOrDefault(property.Name);
            features[property.Name] = new Feature(property.Name, type, nullable, isKey, relation is null ? FeatureKind.Input : FeatureKind.Relation) { Relation = relation };
        }
        return features;
    }

    private static void BindExpression(Type entity, Feature feature, LambdaExpression definition, Dictionary<string, Feature> features)
    {
        var function = RowAccessRewriter.Rewrite(definition, out var misuse, feature.Window)
            ?? throw new FeatureDefinitionException(entity.Name, feature.Name, $"the definition {definition} is not a function of features: {misuse}");
        if (function.Parameters.Any(p => p.Name == Feature.NowName)) NowFeature(features);
        if (ChainedRelations.Find(definition, features) is { } chained)
        {
            var relation = features[chained[..chained.IndexOf('.')]].Relation!;
            throw new FeatureDefinitionException(entity.Name, feature.Name,
                $"reads {chained}, a relation of the has-one {relation.RelatedType.Name} row: relations chained through a has-one relation are not supported "
                + $"(the {relation.RelatedType.Name} row is read from {relation.RelatedType.Name}'s batch, which carries no related rows of its own); "
                + $"compute the value as a feature of {relation.RelatedType.Name}, give it as a column of that batch, and read _.{relation.Name}.<feature>");
        }
        var unknown = function.Parameters.FirstOrDefault(p => !features.ContainsKey(p.Name!));
        if (unknown is not null)
            throw new UnknownFeatureException(entity.Name, feature.Name, unknown.Name!, $"reads '{unknown.Name}', which is not a feature of {entity.Name}");
        feature.Source = definition.ToString();
        feature.Dependencies = function.Parameters.Select(p => p.Name!).ToList();
        feature.Function = ConvertResult(entity, feature, function, "the expression");
    }

    /// <summary>One feature per window, <c>Name[window]</c>, each the definition with <c>F.Window</c> set to its window.</summary>
    private static void BindWindowed(Type entity, FeatureDefinition definition, Dictionary<string, Feature> features)
    {
        var property = definition.Property;
        if (!IsWindowedProperty(property.PropertyType))
            throw new FeatureTypeException(entity.Name, property.Name, $"is {TypeNames.CSharpName(property.PropertyType)}; a windowed feature's property must be Windowed<T>");
        var type = property.PropertyType.GetGenericArguments()[0];
        var nullable = type.IsValueType
            ? Nullable.GetUnderlyingType(type) is not null
            : new NullabilityInfoContext().Create(property).GenericTypeArguments[0].ReadState != NullabilityState.NotNull;
        var windows = definition.Windows ?? [];
        if (windows.Count == 0) throw new FeatureDefinitionException(entity.Name, property.Name, "the windowed definition lists no window");
        features.Remove(property.Name);
        foreach (var text in windows)
        {
            var window = Windows.Parse(text, entity.Name, property.Name);
            var name = $"{property.Name}[{text}]";
            if (features.ContainsKey(name)) throw new FeatureDefinitionException(entity.Name, name, "lists the same window twice");
            var feature = new Feature(name, type, nullable, false, FeatureKind.Windowed) { Window = window };
            features[name] = feature;
            BindExpression(entity, feature, (LambdaExpression)definition.Definition, features);
        }
    }

    /// <summary>The <see cref="FeatureKind.Now"/> feature, added the first time a definition reads it.</summary>
    private static Feature NowFeature(Dictionary<string, Feature> features)
    {
        if (!features.TryGetValue(Feature.NowName, out var now)) features[Feature.NowName] = now = new Feature(Feature.NowName, typeof(DateTime), false, false, FeatureKind.Now);
        return now;
    }

    private static void BindString(Type entity, Feature feature, string text, Dictionary<string, Feature> features)
    {
        ParsedExpression parsed;
        try
        {
            parsed = StringExpression.Parse(text, features.Values.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal));
        }
        catch (ExpressionParseException e) when (e.Problem.StartsWith("Unknown feature", StringComparison.Ordinal))
        {
            var name = new string(text.Skip(e.Position).TakeWhile(c => char.IsLetterOrDigit(c) || c == '_').ToArray());
            throw new UnknownFeatureException(entity.Name, feature.Name, name, $"the expression \"{text}\" at column {e.Column}: {e.Problem}", e);
        }
        catch (ExpressionParseException e)
        {
            throw new FeatureDefinitionException(entity.Name, feature.Name, $"the expression \"{text}\" at column {e.Column}: {e.Problem}", e);
        }
        feature.Source = text;
        feature.Dependencies = parsed.Features;
        feature.Function = ConvertResult(entity, feature, parsed.Lambda, $"the expression \"{text}\"");
    }

    /// <summary>The function with its result converted to the feature's type, when C# would convert it implicitly.</summary>
    private static LambdaExpression ConvertResult(Type entity, Feature feature, LambdaExpression function, string what)
    {
        if (function.ReturnType == feature.Type) return function;
        if (!ImplicitConversions.Exists(function.ReturnType, feature.Type))
            throw new FeatureTypeException(entity.Name, feature.Name,
                $"{what} is {ImplicitConversions.Describe(function.ReturnType)}, but the feature is {feature.TypeName}");
        return Expression.Lambda(Expression.Convert(function.Body, feature.Type), function.Parameters);
    }
}

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
    public static FeatureGraph Build(Type entity, IReadOnlyList<FeatureDefinition> definitions)
    {
        var features = ReadProperties(entity);
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var name = definition.Property.Name;
            if (!features.TryGetValue(name, out var feature) || definition.Property.DeclaringType?.IsAssignableFrom(entity) != true)
                throw new FeatureDefinitionException(entity.Name, name, $"is not a public property of {entity.Name}");
            if (!defined.Add(name)) throw new FeatureDefinitionException(entity.Name, name, "is defined more than once");
            if (feature.IsPrimaryKey) throw new FeatureDefinitionException(entity.Name, name, "is the primary key, an input; it cannot be computed");
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
        return new FeatureGraph(entity, Order(entity, features.Values.ToList()));
    }

    private static Dictionary<string, Feature> ReadProperties(Type entity)
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
            features[property.Name] = new Feature(property.Name, type, nullable, isKey, FeatureKind.Input);
        }
        return features;
    }

    private static void BindExpression(Type entity, Feature feature, LambdaExpression definition, Dictionary<string, Feature> features)
    {
        var function = RowAccessRewriter.Rewrite(definition, out var misuse)
            ?? throw new FeatureDefinitionException(entity.Name, feature.Name, $"the definition {definition} is not a function of features: {misuse}");
        var unknown = function.Parameters.FirstOrDefault(p => !features.ContainsKey(p.Name!));
        if (unknown is not null)
            throw new UnknownFeatureException(entity.Name, feature.Name, unknown.Name!, $"reads '{unknown.Name}', which is not a feature of {entity.Name}");
        feature.Source = definition.ToString();
        feature.Dependencies = function.Parameters.Select(p => p.Name!).ToList();
        feature.Function = ConvertResult(entity, feature, function, "the expression");
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

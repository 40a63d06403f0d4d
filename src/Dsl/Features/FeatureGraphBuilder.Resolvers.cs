using System.Reflection;
using Dsl.Expressions;

namespace Dsl.Features;

internal static partial class FeatureGraphBuilder
{
    private static void BindResolver(Type entity, Feature feature, Delegate resolver, IReadOnlyDictionary<string, string>? bindings, Dictionary<string, Feature> features)
    {
        var method = resolver.Method;
        if (method.ReturnType == typeof(void))
            throw new FeatureTypeException(entity.Name, feature.Name, "the resolver returns nothing; it must return the feature's value");
        foreach (var bound in bindings?.Keys ?? [])
        {
            if (method.GetParameters().All(p => p.Name != bound))
                throw new FeatureDefinitionException(entity.Name, feature.Name, $"binds parameter '{bound}', but the resolver has no such parameter");
        }

        var dependencies = new List<string>();
        var mayBeNull = false;
        foreach (var parameter in method.GetParameters())
        {
            var name = parameter.Name ?? $"arg{parameter.Position}";
            if (parameter.GetCustomAttribute<NowAttribute>() is not null)
            {
                if ((Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType) != typeof(DateTime))
                    throw new FeatureTypeException(entity.Name, feature.Name, $"parameter '{name}' is marked [Now] but is {TypeNames.CSharpName(parameter.ParameterType)}; it must be DateTime");
                dependencies.Add(NowFeature(features).Name);
                continue;
            }

            var target = bindings is not null && bindings.TryGetValue(name, out var explicitName) ? explicitName : name;
            var found = FeatureNames.Find(target, features.Keys.Where(k => k != Feature.NowName), out var ambiguous);
            if (found is null && ambiguous.Count > 0)
                throw new FeatureDefinitionException(entity.Name, feature.Name,
                    $"parameter '{name}' matches several features ({string.Join(", ", ambiguous)}); bind it explicitly");
            if (found is null)
            {
                var suggestion = FeatureNames.Suggest(target, features.Keys);
                throw new UnknownFeatureException(entity.Name, feature.Name, target,
                    $"parameter '{name}' is bound to '{target}', which is not a feature of {entity.Name}" + (suggestion is null ? "" : $" (did you mean '{suggestion}'?)"));
            }

            var source = features[found];
            if (parameter.ParameterType.IsByRef)
                throw new FeatureTypeException(entity.Name, feature.Name, $"parameter '{name}' is passed by reference; resolvers take values");
            if (parameter.ParameterType == source.Type)
            {
                // Same type: nothing to check.
            }
            else if (source.Relation is { Kind: RelationKind.HasMany } relation && RelationDiscovery.ElementOf(parameter.ParameterType) == relation.RelatedType)
            {
                // The related rows, as any sequence type of the same element: an array, a list, an enumerable.
            }
            else if (Nullable.GetUnderlyingType(source.Type) == parameter.ParameterType)
            {
                mayBeNull = true; // a null input makes the result null without calling the resolver
            }
            else if (Nullable.GetUnderlyingType(parameter.ParameterType) == source.Type)
            {
                // T feature into T? parameter: always has a value.
            }
            else
            {
                throw new FeatureTypeException(entity.Name, feature.Name,
                    $"parameter '{name}' is {TypeNames.CSharpName(parameter.ParameterType)}, but feature '{found}' is {source.TypeName}");
            }
            dependencies.Add(found);
        }

        var returns = method.ReturnType;
        var resultFits = returns == feature.Type || Nullable.GetUnderlyingType(feature.Type) == returns;
        if (!resultFits)
            throw new FeatureTypeException(entity.Name, feature.Name,
                $"the resolver returns {TypeNames.CSharpName(returns)}, but the feature is {feature.TypeName}");
        if (mayBeNull && !ImplicitConversions.CanBeNull(feature.Type))
        {
            var nullableInput = method.GetParameters().First(p => Nullable.GetUnderlyingType(features[dependencies[p.Position]].Type) == p.ParameterType
                && p.GetCustomAttribute<NowAttribute>() is null);
            throw new FeatureTypeException(entity.Name, feature.Name,
                $"parameter '{nullableInput.Name}' takes {TypeNames.CSharpName(nullableInput.ParameterType)} from nullable feature '{dependencies[nullableInput.Position]}', "
                + $"so a null makes the result null, but the feature is {feature.TypeName}: declare it {feature.TypeName}? or take {TypeNames.CSharpName(nullableInput.ParameterType)}?");
        }

        feature.Source = $"{TypeNames.CSharpName(returns)} {DescribeMethod(method)}({string.Join(", ", method.GetParameters().Select(p => $"{TypeNames.CSharpName(p.ParameterType)} {p.Name}"))})";
        feature.Dependencies = dependencies;
        feature.Function = resolver;
    }

    private static string DescribeMethod(MethodInfo method) =>
        method.Name.Contains('<', StringComparison.Ordinal) ? "lambda" : $"{method.DeclaringType?.Name}.{method.Name}";

    /// <summary>Inputs first (in declaration order), then computed features depth-first after their dependencies; a cycle is an error.</summary>
    private static List<Feature> Order(Type entity, List<Feature> features)
    {
        var byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var ordered = features.Where(f => f.Kind is FeatureKind.Input or FeatureKind.Relation or FeatureKind.Now).ToList();
        var done = new HashSet<string>(ordered.Select(f => f.Name), StringComparer.Ordinal);
        var path = new List<string>();

        void Visit(Feature feature)
        {
            if (done.Contains(feature.Name)) return;
            var onPath = path.IndexOf(feature.Name);
            if (onPath >= 0) throw new FeatureCycleException(entity.Name, [.. path.Skip(onPath), feature.Name]);
            path.Add(feature.Name);
            foreach (var dependency in feature.Dependencies) Visit(byName[dependency]);
            path.RemoveAt(path.Count - 1);
            done.Add(feature.Name);
            ordered.Add(feature);
        }

        foreach (var feature in features) Visit(feature);
        return ordered;
    }
}

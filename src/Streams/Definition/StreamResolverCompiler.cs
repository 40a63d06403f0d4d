using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Dsl.Engine;
using Dsl.Runtime;

namespace Dsl.Streams.Definition;

/// <summary>
/// Checks a stream resolver's definition and compiles its expressions: the message type's shape, each output's feature (a
/// property of one entity, not a relation, of a type the value converts to), the primary key among the outputs, and the sink's
/// features; then every <c>_</c> expression becomes a function of the message's columns, compiled by the kernel compiler.
/// </summary>
internal static class StreamResolverCompiler
{
    public static StreamResolver Compile(StreamResolverSpec spec)
    {
        var (shape, columns) = MessageShape.Of(spec.MessageType, spec.Name);
        if (spec.Parse is not null && spec.MessageType == typeof(string))
            throw new StreamDefinitionException(spec.Name, "a string message is the raw message itself; a parse function is for record messages.");
        if (spec.Outputs.Count == 0) throw new StreamDefinitionException(spec.Name, "it has no outputs; add features with Output(...).");

        var entity = spec.Outputs[0].Entity;
        var key = entity.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.IsDefined(typeof(PrimaryKeyAttribute)))
                  ?? throw new StreamDefinitionException(spec.Name, $"{entity.Name} has no [PrimaryKey] property, so what the stream writes could not be keyed.");
        var outputs = new List<StreamOutput>();
        var planned = new List<PlannedFeature>();
        foreach (var (outputEntity, name, value) in spec.Outputs)
        {
            if (outputEntity != entity)
                throw new StreamDefinitionException(spec.Name, $"{outputEntity.Name}.{name}: a stream resolver writes the features of one entity, and this one writes {entity.Name} (its first output is {entity.Name}.{spec.Outputs[0].Feature}).");
            var property = Feature(spec.Name, entity, name);
            if (outputs.Any(o => o.Feature == property.Name))
                throw new StreamDefinitionException(spec.Name, $"{entity.Name}.{property.Name} is written twice.");
            var function = Convert(spec.Name, $"{entity.Name}.{property.Name}", value, property.PropertyType);
            planned.Add(Plan(spec.Name, property.Name, function, shape, columns));
            outputs.Add(new StreamOutput(property.Name, property.PropertyType, QualifiedNames.Of(entity.Name, property.Name), Staleness(property)));
        }
        if (outputs.All(o => o.Feature != key.Name))
            throw new StreamDefinitionException(spec.Name, $"{entity.Name}.{key.Name} (the primary key) is not an output; every write is keyed by it: add Output(({entity.Name} e) => e.{key.Name}, m => ...).");

        if (spec.Deduplication is { } dedup)
        {
            var keyFunction = dedup.Key.ReturnType == typeof(string) ? dedup.Key : StringKey(dedup.Key);
            planned.Add(Plan(spec.Name, StreamResolver.DeduplicationKey, keyFunction, shape, columns));
        }

        StreamSink? sink = null;
        if (spec.Sink is { } s)
        {
            var sent = s.Features.Length == 0 ? outputs.Select(o => o.Feature).ToArray() : s.Features.Select(f => OutputNamed(spec.Name, entity, outputs, f)).ToArray();
            sink = new StreamSink(s.Destination, s.Format, sent);
        }

        var ordered = outputs.OrderBy(o => o.Feature == key.Name ? 0 : 1).ToList();
        var plan = FeaturePlan.Create(planned);
        return new StreamResolver(spec, shape, columns, entity, key.Name, ordered, plan, sink);
    }

    private static PlannedFeature Plan(string resolver, string feature, LambdaExpression value, MessageShape shape, IReadOnlyList<MessageColumn> columns)
    {
        var (function, bindings) = MessageExpressionRewriter.Rewrite(value, shape, columns, resolver, feature);
        var compiled = FunctionCompiler.Compile(Features.CatalogueInliner.Inline(function));
        return new PlannedFeature(feature, compiled, bindings);
    }

    /// <summary>The entity's feature <paramref name="name"/> by the DSL's name rules; refused when unknown or a relation.</summary>
    private static PropertyInfo Feature(string resolver, Type entity, string name)
    {
        var properties = entity.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead).ToList();
        var found = Features.FeatureNames.Find(name, properties.Select(p => p.Name), out var ambiguous);
        if (found is null)
        {
            var hint = ambiguous.Count > 0 ? $"it matches {string.Join(" and ", ambiguous)}" : Features.FeatureNames.Suggest(name, properties.Select(p => p.Name)) is { } close ? $"did you mean '{close}'?" : $"its features are {string.Join(", ", properties.Select(p => p.Name))}";
            throw new StreamDefinitionException(resolver, $"'{name}' is not a feature of {entity.Name} ({hint}).");
        }
        var property = properties.First(p => p.Name == found);
        var type = property.PropertyType;
        if (type != typeof(string) && (typeof(IEnumerable).IsAssignableFrom(type) || type.GetProperties().Any(p => p.IsDefined(typeof(PrimaryKeyAttribute)))))
            throw new StreamDefinitionException(resolver, $"{entity.Name}.{property.Name} is a relation; a stream writes features with values.");
        return property;
    }

    /// <summary><paramref name="value"/> returning exactly <paramref name="type"/>: as is, or through an implicit conversion; refused otherwise.</summary>
    private static LambdaExpression Convert(string resolver, string feature, LambdaExpression value, Type type)
    {
        if (value.ReturnType == type) return value;
        if (!Expressions.ImplicitConversions.Exists(value.ReturnType, type))
            throw new StreamDefinitionException(resolver, $"{feature} is {TypeNames.CSharpName(type)}, but its expression ({value}) is {TypeNames.CSharpName(value.ReturnType)}, which does not convert to it implicitly.");
        return Expression.Lambda(Expression.Convert(value.Body, type), value.Parameters);
    }

    /// <summary>The key as invariant text (the online store keys deduplication by text).</summary>
    private static LambdaExpression StringKey(LambdaExpression key)
    {
        var body = key.Body.Type.IsValueType ? Expression.Convert(key.Body, typeof(object)) : key.Body;
        var text = Expression.Call(typeof(System.Convert).GetMethod(nameof(System.Convert.ToString), [typeof(object), typeof(IFormatProvider)])!,
            body, Expression.Constant(System.Globalization.CultureInfo.InvariantCulture, typeof(IFormatProvider)));
        return Expression.Lambda(text, key.Parameters);
    }

    private static string OutputNamed(string resolver, Type entity, IReadOnlyList<StreamOutput> outputs, string name) =>
        Features.FeatureNames.Find(name, outputs.Select(o => o.Feature), out _)
        ?? throw new StreamDefinitionException(resolver, $"the sink sends '{name}', which is not an output of the resolver (its outputs are {string.Join(", ", outputs.Select(o => $"{entity.Name}.{o.Feature}"))}).");

    private static TimeSpan Staleness(PropertyInfo property) =>
        property.GetCustomAttribute<MaxStalenessAttribute>()?.MaxStaleness ?? Timeout.InfiniteTimeSpan;
}

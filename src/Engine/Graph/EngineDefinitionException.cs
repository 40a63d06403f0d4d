namespace Dsl.Engine.Graph;

/// <summary>
/// The engine's definitions do not fit together: a feature nothing can produce, two online resolvers for one feature
/// with no rule to choose, a cycle across entities, a resolver naming an unknown entity or feature. Raised when the engine
/// is built; the message names the entity, the feature and the resolver concerned.
/// </summary>
public sealed class EngineDefinitionException : Exception
{
    /// <summary>Creates the exception; any of the names may be null when it does not apply.</summary>
    public EngineDefinitionException(string? entity, string? feature, string? resolver, string problem)
        : base(Describe(entity, feature, resolver) + problem)
    {
        Entity = entity;
        Feature = feature;
        Resolver = resolver;
        Problem = problem;
    }

    /// <summary>The entity concerned, when one is.</summary>
    public string? Entity { get; }

    /// <summary>The feature concerned, when one is.</summary>
    public string? Feature { get; }

    /// <summary>The resolver concerned, when one is.</summary>
    public string? Resolver { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Describe(string? entity, string? feature, string? resolver)
    {
        var where = entity is null ? "" : feature is null ? entity : $"{entity}.{feature}";
        if (resolver is not null) where += (where.Length > 0 ? " " : "") + $"(resolver '{resolver}')";
        return where.Length > 0 ? where + ": " : "";
    }
}

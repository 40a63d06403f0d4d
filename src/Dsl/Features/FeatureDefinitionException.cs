namespace Dsl;

/// <summary>
/// A feature set is not well defined. The message names the feature and the problem; subclasses say which
/// kind of problem: <see cref="UnknownFeatureException"/>, <see cref="FeatureTypeException"/>,
/// <see cref="FeatureCycleException"/>.
/// </summary>
public class FeatureDefinitionException : Exception
{
    /// <summary>Creates the exception for <paramref name="feature"/>.</summary>
    public FeatureDefinitionException(string entity, string feature, string problem, Exception? inner = null)
        : base($"{entity}.{feature}: {problem}", inner)
    {
        Entity = entity;
        Feature = feature;
        Problem = problem;
    }

    /// <summary>The entity class's name.</summary>
    public string Entity { get; }

    /// <summary>The feature whose definition is wrong.</summary>
    public string Feature { get; }

    /// <summary>What is wrong, without the feature's name.</summary>
    public string Problem { get; }
}

/// <summary>A definition reads a feature the entity does not have.</summary>
public sealed class UnknownFeatureException(string entity, string feature, string unknownName, string problem, Exception? inner = null)
    : FeatureDefinitionException(entity, feature, problem, inner)
{
    /// <summary>The name that matched no feature.</summary>
    public string UnknownName { get; } = unknownName;
}

/// <summary>A definition's type does not match its feature's type, or a parameter's type its feature's.</summary>
public sealed class FeatureTypeException(string entity, string feature, string problem, Exception? inner = null)
    : FeatureDefinitionException(entity, feature, problem, inner);

/// <summary>Features depend on each other in a cycle.</summary>
public sealed class FeatureCycleException(string entity, IReadOnlyList<string> cycle)
    : FeatureDefinitionException(entity, cycle[0], $"features depend on each other in a cycle: {string.Join(" -> ", cycle)}")
{
    /// <summary>The features of the cycle, the first repeated at the end.</summary>
    public IReadOnlyList<string> Cycle { get; } = cycle;
}

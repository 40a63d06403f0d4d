namespace Dsl.Streams.Definition;

/// <summary>
/// A stream resolver is not well defined: an unusable message type (a recursive or <c>object</c>-typed member), an output that
/// reads no member of the message, a type that does not fit its feature, a feature of another entity. The message starts with
/// the resolver's name and names the member or feature.
/// </summary>
public sealed class StreamDefinitionException : Exception
{
    /// <summary>A problem of the resolver named <paramref name="resolver"/>.</summary>
    public StreamDefinitionException(string resolver, string problem)
        : base($"Stream resolver '{resolver}': {problem}")
    {
        Resolver = resolver;
        Problem = problem;
    }

    /// <summary>The resolver's name.</summary>
    public string Resolver { get; }

    /// <summary>What is wrong, without the resolver's name.</summary>
    public string Problem { get; }
}

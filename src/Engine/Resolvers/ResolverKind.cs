namespace Dsl.Engine.Resolvers;

/// <summary>When a resolver may run.</summary>
public enum ResolverKind
{
    /// <summary>In online queries (and offline ones when no offline resolver gives the feature).</summary>
    Online,

    /// <summary>Only in offline (batch, training-set) queries.</summary>
    Offline,
}

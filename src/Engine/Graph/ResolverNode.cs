using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Graph;

/// <summary>
/// A resolver placed in the graph: its entity, its inputs as features, and which feature each result column gives.
/// </summary>
public sealed class ResolverNode
{
    internal ResolverNode(IResolver resolver, EntityNode entity, IReadOnlyList<FeatureRef> inputs, IReadOnlyDictionary<string, string> columnFeatures, bool isPreferred)
    {
        Resolver = resolver;
        Entity = entity;
        Inputs = inputs;
        ColumnFeatures = columnFeatures;
        IsPreferred = isPreferred;
    }

    /// <summary>The resolver itself.</summary>
    public IResolver Resolver { get; }

    /// <summary>The resolver's name.</summary>
    public string Name => Resolver.Name;

    /// <summary>The entity whose rows it returns.</summary>
    public EntityNode Entity { get; }

    /// <summary>The features it takes, in order.</summary>
    public IReadOnlyList<FeatureRef> Inputs { get; }

    /// <summary>Result column → feature of <see cref="Entity"/> it gives.</summary>
    public IReadOnlyDictionary<string, string> ColumnFeatures { get; }

    /// <summary>The features of <see cref="Entity"/> it gives.</summary>
    public IEnumerable<string> Outputs => ColumnFeatures.Values;

    /// <summary>Whether it was named the one to use when several online resolvers give the same feature.</summary>
    public bool IsPreferred { get; }

    /// <summary>True when it looks up its own entity's row (its inputs are features of its entity), false when it fetches related rows.</summary>
    public bool IsLookup => Inputs.All(i => i.Entity == Entity.Name);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {Entity.Name}({string.Join(", ", Outputs)}) by {string.Join(", ", Inputs)} — {Resolver.Description}, {(Resolver.Kind == ResolverKind.Online ? "online" : "offline")}";
}

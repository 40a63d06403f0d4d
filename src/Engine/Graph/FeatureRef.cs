namespace Dsl.Engine.Graph;

/// <summary>A feature of an entity, by the entity's and the feature's names as the graph spells them (<c>User.TotalSpend</c>).</summary>
public readonly record struct FeatureRef(string Entity, string Feature)
{
    /// <inheritdoc />
    public override string ToString() => $"{Entity}.{Feature}";
}

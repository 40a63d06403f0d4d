namespace Dsl;

/// <summary>
/// A checked feature set: every feature of the entity, inputs first and computed features in an order
/// where each comes after the features it reads.
/// </summary>
public sealed class FeatureGraph
{
    private readonly Dictionary<string, Feature> _byName;

    internal FeatureGraph(Type entityType, IReadOnlyList<Feature> features, IReadOnlyList<Relation> relations)
    {
        EntityType = entityType;
        Features = features;
        Relations = relations;
        _byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>The entity class.</summary>
    public Type EntityType { get; }

    /// <summary>All features: inputs, then computed features in dependency order.</summary>
    public IReadOnlyList<Feature> Features { get; }

    /// <summary>The entity's relations to other entities (has-many and has-one), found by convention or declared.</summary>
    public IReadOnlyList<Relation> Relations { get; }

    /// <summary>The features read from the input (columns of the batch, properties of the entity).</summary>
    public IEnumerable<Feature> Inputs => Features.Where(f => f.Kind == FeatureKind.Input);

    /// <summary>The computed features, each after the features it reads.</summary>
    public IEnumerable<Feature> Computed => Features.Where(f => f.Kind is not (FeatureKind.Input or FeatureKind.Relation or FeatureKind.Now));

    /// <summary>The primary key, or null when no property is marked.</summary>
    public Feature? PrimaryKey => Features.FirstOrDefault(f => f.IsPrimaryKey);

    /// <summary>The feature named <paramref name="name"/> (exactly, then case- and underscore-tolerant).</summary>
    /// <exception cref="KeyNotFoundException">No feature has that name.</exception>
    public Feature this[string name]
    {
        get
        {
            if (_byName.TryGetValue(name, out var exact)) return exact;
            var found = Dsl.Features.FeatureNames.Find(name, _byName.Keys, out _);
            return found is not null ? _byName[found] : throw new KeyNotFoundException($"{EntityType.Name} has no feature '{name}'.");
        }
    }
}

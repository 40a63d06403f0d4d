using System.Reflection;

namespace Dsl.Engine.Graph;

/// <summary>
/// One entity of the engine: its class, its feature set (the one given, or an empty one for an entity known only as the
/// other side of a relation), the compiled form of that set, and how stale each feature may be when read from the store.
/// </summary>
public sealed class EntityNode
{
    private readonly Lazy<CompiledFeatureSet> _compiled;

    internal EntityNode(FeatureSet set, IReadOnlyDictionary<string, TimeSpan> maxStaleness)
    {
        Set = set;
        MaxStaleness = maxStaleness;
        _compiled = new Lazy<CompiledFeatureSet>(() => set.Compile());
        _qualified = set.Graph.Features.ToDictionary(f => f.Name, f => $"{set.EntityType.Name}.{f.Name}", StringComparer.Ordinal);
    }

    private readonly Dictionary<string, string> _qualified;

    /// <summary>The name results use for a feature, <c>User.TotalSpend</c> (made once per feature, not per query).</summary>
    public string Qualified(string feature) => _qualified.TryGetValue(feature, out var name) ? name : $"{Name}.{feature}";

    /// <summary>The entity class's name (<c>User</c>).</summary>
    public string Name => Set.EntityType.Name;

    /// <summary>The entity class.</summary>
    public Type Type => Set.EntityType;

    /// <summary>The feature set that defines the entity's computed features.</summary>
    public FeatureSet Set { get; }

    /// <summary>The checked features of the entity.</summary>
    public FeatureGraph Features => Set.Graph;

    /// <summary>The primary key feature, or null when the class marks none.</summary>
    public Feature? PrimaryKey => Features.PrimaryKey;

    /// <summary>The feature set compiled (once, on first use): verdicts and the runtime plan of all its computed features.</summary>
    public CompiledFeatureSet Compiled => _compiled.Value;

    /// <summary>
    /// Per feature, the longest a value read from the online store may have been computed before a query uses it; a feature not
    /// listed is always computed (zero). <see cref="Timeout.InfiniteTimeSpan"/> means any age.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> MaxStaleness { get; }

    /// <summary>The feature named <paramref name="name"/> (exact, then ignoring case and underscores), or null.</summary>
    public Feature? Find(string name)
    {
        try
        {
            return Features[name];
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The staleness the class declares with <see cref="MaxStalenessAttribute"/> on its properties.</summary>
    internal static Dictionary<string, TimeSpan> DeclaredStaleness(Type entity)
    {
        var declared = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var property in entity.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<MaxStalenessAttribute>() is { } attribute) declared[property.Name] = attribute.MaxStaleness;
        }
        return declared;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

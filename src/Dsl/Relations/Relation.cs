namespace Dsl;

/// <summary>How two entities are related.</summary>
public enum RelationKind
{
    /// <summary>Many related rows per entity (<c>IReadOnlyList&lt;Transaction&gt; Transactions</c>): aggregated by features.</summary>
    HasMany,

    /// <summary>At most one related row per entity (<c>User? User</c>): its features read as the entity's own.</summary>
    HasOne,
}

/// <summary>
/// A relation of an entity to another: a property of the entity class whose value is the related rows (has-many) or
/// row (has-one), joined by key. Found by convention or declared in the feature set's builder.
/// </summary>
/// <remarks>
/// Invariant: <see cref="Keys"/> is non-empty, each pair names a public property of each side with the same key type
/// (ignoring nullability); <see cref="EventTime"/>, when set, is a <see cref="DateTime"/> property of the related entity.
/// </remarks>
public sealed class Relation
{
    internal Relation(string name, RelationKind kind, Type entityType, Type relatedType, IReadOnlyList<RelationKey> keys, string? eventTime)
    {
        Name = name;
        Kind = kind;
        EntityType = entityType;
        RelatedType = relatedType;
        Keys = keys;
        EventTime = eventTime;
    }

    /// <summary>The entity property that holds the related rows (<c>Transactions</c>).</summary>
    public string Name { get; }

    /// <summary>Has-many or has-one.</summary>
    public RelationKind Kind { get; }

    /// <summary>The entity the relation belongs to (<c>User</c>).</summary>
    public Type EntityType { get; }

    /// <summary>The related entity (<c>Transaction</c>).</summary>
    public Type RelatedType { get; }

    /// <summary>The join: related rows whose <see cref="RelationKey.Related"/> properties equal the entity's <see cref="RelationKey.Entity"/> properties.</summary>
    public IReadOnlyList<RelationKey> Keys { get; }

    /// <summary>
    /// The related entity's event time (marked <see cref="EventTimeAttribute"/>): when the entity is computed as of a time
    /// <c>Now</c>, related rows whose event time is after <c>Now</c> are invisible. Null when the related entity has none.
    /// </summary>
    public string? EventTime { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{EntityType.Name}.{Name}: {(Kind == RelationKind.HasMany ? "has many" : "has one")} {RelatedType.Name} on "
        + string.Join(" and ", Keys.Select(k => $"{RelatedType.Name}.{k.Related} = {EntityType.Name}.{k.Entity}"))
        + (EventTime is null ? "" : $", visible when {RelatedType.Name}.{EventTime} <= Now");
}

/// <summary>One equality of a relation's join: the entity's property and the related entity's property.</summary>
public sealed record RelationKey(string Entity, string Related);

/// <summary>
/// Marks the property of an entity that says when the row happened (a <see cref="DateTime"/>, UTC). Rows of a related
/// entity with an event time after the time a feature is computed for are invisible to every aggregation over them.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class EventTimeAttribute : Attribute
{
}

/// <summary>
/// Marks a resolver parameter (a <see cref="DateTime"/>) as the time the features are computed for: the request's time
/// online, each row's own timestamp offline. <c>F.Now</c> is the same value in <c>_</c> expressions.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class NowAttribute : Attribute
{
}

using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Features;

/// <summary>
/// Finds an entity's relations: each declared one (<see cref="FeatureSetBuilder{TEntity}.HasMany{TRelated}"/>,
/// <see cref="FeatureSetBuilder{TEntity}.HasOne{TRelated}"/>), and by convention every other property whose type is a
/// related entity (a class with a <see cref="PrimaryKeyAttribute"/>) or a sequence of one.
/// </summary>
/// <remarks>
/// Conventions. Has-many <c>User.Transactions</c> (<c>IReadOnlyList&lt;Transaction&gt;</c>, <c>IEnumerable&lt;…&gt;</c>,
/// <c>IList&lt;…&gt;</c>, <c>List&lt;…&gt;</c> or an array) joins <c>Transaction.UserId</c> (the entity's name and its key's
/// name) to <c>User.Id</c>. Has-one <c>Transaction.User</c> (<c>User?</c>) joins <c>Transaction.UserId</c> (the property's
/// name and the related key's name, else the related entity's name and key's name) to <c>User.Id</c>. A relation that
/// cannot be joined is a <see cref="FeatureDefinitionException"/> naming both entities and the keys it looked for.
/// </remarks>
internal static class RelationDiscovery
{
    public static Dictionary<string, Relation> Discover(Type entity, IReadOnlyList<RelationDeclaration> declarations)
    {
        var relations = new Dictionary<string, Relation>(StringComparer.Ordinal);
        foreach (var declaration in declarations)
        {
            if (relations.ContainsKey(declaration.Property.Name))
                throw new FeatureDefinitionException(entity.Name, declaration.Property.Name, "declares its relation more than once");
            relations[declaration.Property.Name] = Declared(entity, declaration);
        }

        foreach (var property in entity.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (relations.ContainsKey(property.Name) || property.GetIndexParameters().Length > 0) continue;
            if (ElementOf(property.PropertyType) is { } element && IsEntity(element))
                relations[property.Name] = Conventional(entity, property, RelationKind.HasMany, element);
            else if (IsEntity(property.PropertyType) && property.PropertyType != entity)
                relations[property.Name] = Conventional(entity, property, RelationKind.HasOne, property.PropertyType);
        }

        return relations;
    }

    /// <summary>Whether <paramref name="type"/> is an entity: a class with a property marked <see cref="PrimaryKeyAttribute"/>.</summary>
    public static bool IsEntity(Type type) => type.IsClass && type != typeof(string) && KeyOf(type) is not null;

    /// <summary>The element type of a sequence type a has-many relation may have, or null.</summary>
    public static Type? ElementOf(Type type)
    {
        if (type.IsArray && type.GetArrayRank() == 1) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(IEnumerable<>) || definition == typeof(IList<>)
            || definition == typeof(List<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static PropertyInfo? KeyOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.GetCustomAttribute<PrimaryKeyAttribute>() is not null);

    private static Relation Conventional(Type entity, PropertyInfo property, RelationKind kind, Type related)
    {
        if (kind == RelationKind.HasMany)
        {
            var key = KeyOf(entity) ?? throw Unjoinable(entity, property, related, $"{entity.Name} has no [PrimaryKey] property to join on");
            var foreign = entity.Name + key.Name;
            var match = related.GetProperty(foreign, BindingFlags.Public | BindingFlags.Instance);
            if (match is null || !SameKeyType(match.PropertyType, key.PropertyType))
                throw Unjoinable(entity, property, related,
                    $"{related.Name} has no property '{foreign}' of type {TypeNames.CSharpName(key.PropertyType)} matching {entity.Name}.{key.Name}; "
                    + $"declare the join with HasMany({Short(entity)} => {Short(entity)}.{property.Name}, ({Short(entity)}, {Short(related)}) => {Short(related)}.<key> == {Short(entity)}.{key.Name})");
            return new Relation(property.Name, kind, entity, related, [new RelationKey(key.Name, foreign)], EventTimeOf(related));
        }

        var relatedKey = KeyOf(related)!;
        foreach (var candidate in new[] { property.Name + relatedKey.Name, related.Name + relatedKey.Name })
        {
            var own = entity.GetProperty(candidate, BindingFlags.Public | BindingFlags.Instance);
            if (own is not null && SameKeyType(own.PropertyType, relatedKey.PropertyType))
                return new Relation(property.Name, kind, entity, related, [new RelationKey(own.Name, relatedKey.Name)], null);
        }

        throw Unjoinable(entity, property, related,
            $"{entity.Name} has no property '{property.Name + relatedKey.Name}' of type {TypeNames.CSharpName(relatedKey.PropertyType)} matching {related.Name}.{relatedKey.Name}; "
            + $"declare the join with HasOne({Short(entity)} => {Short(entity)}.{property.Name}, ({Short(entity)}, {Short(related)}) => {Short(related)}.{relatedKey.Name} == {Short(entity)}.<key>)");
    }

    private static Relation Declared(Type entity, RelationDeclaration declaration)
    {
        var property = declaration.Property;
        var related = declaration.RelatedType;
        var keys = new List<RelationKey>();
        CollectEqualities(declaration.Join.Body, declaration.Join.Parameters[0], declaration.Join.Parameters[1], keys, entity, property, related);
        if (keys.Count == 0) throw Unjoinable(entity, property, related, "the join has no equality");
        foreach (var key in keys)
        {
            var own = entity.GetProperty(key.Entity)!;
            var theirs = related.GetProperty(key.Related)!;
            if (!SameKeyType(own.PropertyType, theirs.PropertyType))
                throw Unjoinable(entity, property, related,
                    $"{entity.Name}.{key.Entity} is {TypeNames.CSharpName(own.PropertyType)} but {related.Name}.{key.Related} is {TypeNames.CSharpName(theirs.PropertyType)}");
        }

        return new Relation(property.Name, declaration.Kind, entity, related, keys,
            declaration.Kind == RelationKind.HasMany ? EventTimeOf(related) : null);
    }

    /// <summary>Reads <c>a == b &amp;&amp; c == d</c>, each side a property of one parameter.</summary>
    private static void CollectEqualities(Expression body, ParameterExpression entityParameter, ParameterExpression relatedParameter,
        List<RelationKey> keys, Type entity, PropertyInfo property, Type related)
    {
        var unwrapped = body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : body;
        if (unwrapped is BinaryExpression { NodeType: ExpressionType.AndAlso } both)
        {
            CollectEqualities(both.Left, entityParameter, relatedParameter, keys, entity, property, related);
            CollectEqualities(both.Right, entityParameter, relatedParameter, keys, entity, property, related);
            return;
        }

        if (unwrapped is BinaryExpression { NodeType: ExpressionType.Equal } equal
            && MemberOf(equal.Left) is { } left && MemberOf(equal.Right) is { } right)
        {
            if (left.Owner == entityParameter && right.Owner == relatedParameter) { keys.Add(new RelationKey(left.Name, right.Name)); return; }
            if (left.Owner == relatedParameter && right.Owner == entityParameter) { keys.Add(new RelationKey(right.Name, left.Name)); return; }
        }

        throw Unjoinable(entity, property, related,
            $"the join '{body}' must be equalities between a property of {entity.Name} and a property of {related.Name}, joined by &&");
    }

    private static (ParameterExpression Owner, string Name)? MemberOf(Expression side)
    {
        var unwrapped = side is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : side;
        return unwrapped is MemberExpression { Member: PropertyInfo p, Expression: ParameterExpression owner } ? (owner, p.Name) : null;
    }

    private static string? EventTimeOf(Type related)
    {
        var marked = related.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetCustomAttribute<EventTimeAttribute>() is not null).ToList();
        if (marked.Count > 1)
            throw new FeatureDefinitionException(related.Name, marked[1].Name, $"{related.Name} marks more than one property [EventTime] ({string.Join(", ", marked.Select(p => p.Name))})");
        if (marked.Count == 1 && (Nullable.GetUnderlyingType(marked[0].PropertyType) ?? marked[0].PropertyType) != typeof(DateTime))
            throw new FeatureTypeException(related.Name, marked[0].Name, $"the [EventTime] property is {TypeNames.CSharpName(marked[0].PropertyType)}; it must be DateTime");
        return marked.Count == 1 ? marked[0].Name : null;
    }

    private static bool SameKeyType(Type a, Type b) => (Nullable.GetUnderlyingType(a) ?? a) == (Nullable.GetUnderlyingType(b) ?? b);

    private static string Short(Type type) => char.ToLowerInvariant(type.Name[0]).ToString();

    private static FeatureDefinitionException Unjoinable(Type entity, PropertyInfo property, Type related, string why) =>
        new(entity.Name, property.Name, $"the relation to {related.Name} cannot be joined: {why}");
}

/// <summary>A relation declared in a feature set's builder: the property, its kind and the join predicate.</summary>
internal sealed record RelationDeclaration(PropertyInfo Property, RelationKind Kind, Type RelatedType, LambdaExpression Join);

using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Features;

/// <summary>
/// Finds a relation reached through a has-one relation in an <c>_</c> expression (<c>_.User.Transactions</c>,
/// <c>_.User.Company</c>). Those are not supported: a has-one row is read from its own entity's batch, one row per key,
/// which carries no related rows of its own, so the relation would read as its default (an empty list, a null) instead of
/// the rows it has online.
/// </summary>
internal sealed class ChainedRelations : ExpressionVisitor
{
    private readonly ParameterExpression _row;
    private readonly IReadOnlyDictionary<string, Feature> _features;
    private string? _found;

    private ChainedRelations(ParameterExpression row, IReadOnlyDictionary<string, Feature> features)
    {
        _row = row;
        _features = features;
    }

    /// <summary>The first chained read as text (<c>User.Transactions</c>), or null.</summary>
    public static string? Find(LambdaExpression definition, IReadOnlyDictionary<string, Feature> features)
    {
        var finder = new ChainedRelations(definition.Parameters[0], features);
        finder.Visit(definition.Body);
        return finder._found;
    }

    protected override Expression VisitMember(MemberExpression node)
    {
        if (_found is null && node.Expression is MemberExpression { Expression: var owner, Member: PropertyInfo relation } && owner == _row
            && _features.TryGetValue(relation.Name, out var feature) && feature.Relation is { Kind: RelationKind.HasOne }
            && MemberType(node.Member) is { } type
            && (RelationDiscovery.IsEntity(type) || RelationDiscovery.ElementOf(type) is { } element && RelationDiscovery.IsEntity(element)))
            _found = $"{relation.Name}.{node.Member.Name}";
        return base.VisitMember(node);
    }

    private static Type? MemberType(MemberInfo member) => member switch
    {
        PropertyInfo p => p.PropertyType,
        FieldInfo f => f.FieldType,
        _ => null,
    };
}

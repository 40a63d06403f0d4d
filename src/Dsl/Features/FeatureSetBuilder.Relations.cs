using System.Linq.Expressions;
using System.Reflection;

namespace Dsl;

public sealed partial class FeatureSetBuilder<TEntity>
{
    private readonly List<Features.RelationDeclaration> _relations = [];

    internal IReadOnlyList<Features.RelationDeclaration> Relations => _relations;

    /// <summary>
    /// Declares a has-many relation joined by other keys than the convention's (<c>Transaction.UserId = User.Id</c>), or by
    /// several: <c>HasMany(u =&gt; u.Transactions, (u, t) =&gt; t.OwnerId == u.Id &amp;&amp; t.Region == u.Region)</c>.
    /// </summary>
    public FeatureSetBuilder<TEntity> HasMany<TRelated>(Expression<Func<TEntity, IEnumerable<TRelated>>> relation, Expression<Func<TEntity, TRelated, bool>> join)
        where TRelated : class
    {
        ArgumentNullException.ThrowIfNull(join);
        _relations.Add(new Features.RelationDeclaration(RelationProperty(relation), RelationKind.HasMany, typeof(TRelated), join));
        return this;
    }

    /// <summary>
    /// Declares a has-one relation joined by other keys than the convention's (<c>Transaction.UserId = User.Id</c>):
    /// <c>HasOne(t =&gt; t.Merchant, (t, m) =&gt; m.Code == t.MerchantCode)</c>.
    /// </summary>
    public FeatureSetBuilder<TEntity> HasOne<TRelated>(Expression<Func<TEntity, TRelated?>> relation, Expression<Func<TEntity, TRelated, bool>> join)
        where TRelated : class
    {
        ArgumentNullException.ThrowIfNull(join);
        _relations.Add(new Features.RelationDeclaration(RelationProperty(relation), RelationKind.HasOne, typeof(TRelated), join));
        return this;
    }

    /// <summary>
    /// Defines one feature per window from one <c>_</c> expression: <c>Windowed(u =&gt; u.Spend, ["1d", "7d", "30d"], _ =&gt;
    /// _.Transactions.Sum(t =&gt; t.Amount))</c> gives <c>Spend[1d]</c>, <c>Spend[7d]</c> and <c>Spend[30d]</c>. For window
    /// <c>w</c>, every relation with an event time read in the definition sees only its rows with
    /// <c>Now − w &lt; EventTime ≤ Now</c> (a row exactly at <c>Now</c> counts, one exactly at <c>Now − w</c> does not), and
    /// <c>F.Window</c> is <c>w</c>. All windows are computed in one pass over the related rows.
    /// </summary>
    /// <param name="feature">The property, of type <see cref="Windowed{T}"/>.</param>
    /// <param name="windows">Durations: a whole number and a unit, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c> or <c>w</c> (<c>90m</c>, <c>7d</c>).</param>
    /// <param name="definition">The expression, written once for every window.</param>
    public FeatureSetBuilder<TEntity> Windowed<T>(Expression<Func<TEntity, Windowed<T>>> feature, IReadOnlyList<string> windows, Expression<Func<TEntity, T>> definition)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(definition);
        _definitions.Add(new FeatureDefinition(PropertyOf(feature), FeatureKind.Windowed, definition, null, [.. windows]));
        return this;
    }

    private static PropertyInfo RelationProperty(LambdaExpression relation)
    {
        ArgumentNullException.ThrowIfNull(relation);
        var body = relation.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : relation.Body;
        if (body is MemberExpression { Member: PropertyInfo property, Expression: ParameterExpression }) return property;
        throw new ArgumentException($"The relation must be a property of {typeof(TEntity).Name}, as in u => u.Transactions; got {relation}", nameof(relation));
    }
}

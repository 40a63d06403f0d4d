using System.Linq.Expressions;
using System.Reflection;

namespace Dsl;

/// <summary>
/// Collects the definitions of an entity's computed features. Nothing is checked here beyond the selector;
/// the whole set is checked at once when the graph is built (see <see cref="FeatureSet.Graph"/>).
/// </summary>
/// <typeparam name="TEntity">The entity class; its properties are its features.</typeparam>
public sealed partial class FeatureSetBuilder<TEntity> where TEntity : class
{
    private readonly List<FeatureDefinition> _definitions = [];

    internal FeatureSetBuilder()
    {
    }

    internal IReadOnlyList<FeatureDefinition> Definitions => _definitions;

    /// <summary>
    /// Defines <paramref name="feature"/> by an <c>_</c>-style expression over the typed row:
    /// <c>Define(t =&gt; t.IsExpensive, _ =&gt; _.Subtotal &gt; 1000)</c>. Each <c>_.Property</c> reads that feature.
    /// </summary>
    public FeatureSetBuilder<TEntity> Define<T>(Expression<Func<TEntity, T>> feature, Expression<Func<TEntity, T>> definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definitions.Add(new FeatureDefinition(PropertyOf(feature), FeatureKind.Expression, definition, null));
        return this;
    }

    /// <summary>
    /// Defines <paramref name="feature"/> by a string expression over the features
    /// (<c>"total &gt; 1000 &amp;&amp; taxable"</c>); see <see cref="StringExpression"/>.
    /// </summary>
    public FeatureSetBuilder<TEntity> Define<T>(Expression<Func<TEntity, T>> feature, string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        _definitions.Add(new FeatureDefinition(PropertyOf(feature), FeatureKind.StringExpression, expression, null));
        return this;
    }

    /// <summary>
    /// Defines <paramref name="feature"/> by a resolver: an ordinary lambda or static method whose parameters
    /// are features, bound by name (exact, then case-insensitive, then ignoring underscores: <c>taxRate</c>,
    /// <c>tax_rate</c> → <c>TaxRate</c>) unless <paramref name="bindings"/> maps a parameter to a feature.
    /// </summary>
    public FeatureSetBuilder<TEntity> Resolve<T>(Expression<Func<TEntity, T>> feature, Delegate resolver, IReadOnlyDictionary<string, string>? bindings = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _definitions.Add(new FeatureDefinition(PropertyOf(feature), FeatureKind.Resolver, resolver, bindings));
        return this;
    }

    private static PropertyInfo PropertyOf<T>(Expression<Func<TEntity, T>> feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var body = feature.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : feature.Body;
        if (body is MemberExpression { Member: PropertyInfo property, Expression: ParameterExpression } && property.GetMethod is { IsStatic: false })
            return property;
        throw new ArgumentException($"The feature must be a property of {typeof(TEntity).Name}, as in t => t.Total; got {feature}", nameof(feature));
    }
}

/// <summary>One definition as the user wrote it: the property, the kind, and the expression, string or delegate.</summary>
internal sealed record FeatureDefinition(
    PropertyInfo Property, FeatureKind Kind, object Definition, IReadOnlyDictionary<string, string>? Bindings, IReadOnlyList<string>? Windows = null);

namespace Dsl;

/// <summary>How a feature gets its value.</summary>
public enum FeatureKind
{
    /// <summary>Read from the input (a column of the batch, a property of the entity).</summary>
    Input,

    /// <summary>Computed by an <c>_</c>-style expression, <c>_ =&gt; _.Subtotal &gt; 1000</c>.</summary>
    Expression,

    /// <summary>Computed by a resolver: an ordinary lambda or static method whose parameters are features.</summary>
    Resolver,

    /// <summary>Computed by a string expression, <c>"total &gt; 1000 &amp;&amp; taxable"</c>.</summary>
    StringExpression,

    /// <summary>Related rows (a has-many relation) or a related row (has-one), joined from another entity's data.</summary>
    Relation,

    /// <summary>One window of a windowed <c>_</c> expression (<c>Spend[7d]</c>).</summary>
    Windowed,

    /// <summary>
    /// The time the features are computed for (<c>F.Now</c>, a <c>[Now]</c> resolver parameter): the request's time online,
    /// each row's timestamp offline. Named <see cref="Feature.NowName"/>.
    /// </summary>
    Now,
}

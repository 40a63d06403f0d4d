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
}

namespace Dsl;

/// <summary>
/// Parses C#-like expression strings (<c>"subtotal &gt; 1000 &amp;&amp; taxable"</c>, <c>"discount ?? 0"</c>,
/// <c>"F.Clamp(score, 0, 1)"</c>) into typed expression trees.
/// </summary>
/// <remarks>
/// The language has literals (<c>12</c>, <c>12L</c>, <c>1.5</c>, <c>1e3</c>, <c>1.5f</c>, <c>"text"</c>,
/// <c>true</c>, <c>false</c>, <c>null</c>), feature names, parentheses, the C# operators
/// <c>! - + * / % &lt; &lt;= &gt; &gt;= == != &amp;&amp; || ?? ?:</c> with C# precedence, typing and
/// null semantics, and calls to the function catalogue <see cref="F"/>. Nothing else is reachable: no
/// member access, no other types or methods, no <c>new</c>, no assignment. Every malformed or ill-typed
/// string raises <see cref="ExpressionParseException"/> naming the problem and its column.
/// </remarks>
public static class StringExpression
{
    /// <summary>
    /// Parses <paramref name="text"/> against <paramref name="schema"/> (feature name → CLR type). Names
    /// match exactly first, then case-insensitively, then ignoring underscores (<c>tax_rate</c> → <c>TaxRate</c>).
    /// </summary>
    /// <exception cref="ExpressionParseException">The text is not a well-formed, well-typed expression.</exception>
    public static ParsedExpression Parse(string text, IReadOnlyDictionary<string, Type> schema)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(schema);
        return new ParsedExpression(text, Expressions.ExpressionParser.Parse(text, schema));
    }
}

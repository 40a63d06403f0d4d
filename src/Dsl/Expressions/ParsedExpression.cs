using System.Linq.Expressions;

namespace Dsl;

/// <summary>
/// A string expression parsed and typed against a schema: a lambda whose parameters are the features it
/// reads (named as in the schema, in order of first use) and whose body computes the expression.
/// </summary>
public sealed class ParsedExpression
{
    internal ParsedExpression(string text, LambdaExpression lambda)
    {
        Text = text;
        Lambda = lambda;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The typed tree: only features, literals, operators and calls to <see cref="F"/>.</summary>
    public LambdaExpression Lambda { get; }

    /// <summary>The features the expression reads, as the schema names them.</summary>
    public IReadOnlyList<string> Features => Lambda.Parameters.Select(p => p.Name!).ToList();

    /// <summary>The type of the expression's value.</summary>
    public Type ResultType => Lambda.ReturnType;
}

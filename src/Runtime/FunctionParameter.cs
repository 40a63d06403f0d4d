namespace Dsl.Runtime;

/// <summary>One parameter of a compiled function: the name that binds it to a column by default, and its CLR type.</summary>
/// <param name="Name">The parameter's name as declared in the source.</param>
/// <param name="Type">The parameter's CLR type, e.g. <c>double?</c> or <c>string</c>.</param>
public sealed record FunctionParameter(string Name, Type Type);

namespace Dsl.Runtime;

/// <summary>A feature whose function threw while evaluating one row online; its value is null.</summary>
/// <param name="Feature">The feature's name.</param>
/// <param name="ExceptionType">The exception type's full name, e.g. <c>System.DivideByZeroException</c>.</param>
/// <param name="Message">The exception's message.</param>
public sealed record FeatureError(string Feature, string ExceptionType, string Message);

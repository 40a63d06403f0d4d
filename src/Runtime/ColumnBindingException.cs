namespace Dsl.Runtime;

/// <summary>
/// A batch cannot feed a function: a bound column is missing, ambiguous, or has a type that does not match
/// its parameter, or a binding names no parameter. Raised before any row is computed.
/// </summary>
public sealed class ColumnBindingException : ArgumentException
{
    /// <summary>Creates the exception; <paramref name="message"/> names the parameter, the column and the types.</summary>
    public ColumnBindingException(string message, string parameterName, string columnName, Type? parameterType, string? columnType)
        : base(message)
    {
        ParameterName = parameterName;
        ColumnName = columnName;
        ParameterType = parameterType;
        ColumnType = columnType;
    }

    /// <summary>The function parameter that could not be bound.</summary>
    public string ParameterName { get; }

    /// <summary>The column it was bound to (or looked for).</summary>
    public string ColumnName { get; }

    /// <summary>The parameter's CLR type, or null when a binding names a parameter the function does not have.</summary>
    public Type? ParameterType { get; }

    /// <summary>The column's Arrow type as text, or null when the column is missing.</summary>
    public string? ColumnType { get; }
}

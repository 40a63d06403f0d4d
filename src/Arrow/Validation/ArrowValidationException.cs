namespace Dsl.ArrowExtensions;

/// <summary>
/// An array or record batch that is not well-formed for its type: which column, which buffer, which row (when one
/// row is at fault) and which rule it breaks. Thrown by <see cref="ArrowValidator"/> before any row is read.
/// </summary>
public sealed class ArrowValidationException : ArrowFormatException
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    public ArrowValidationException(string column, string buffer, long? row, string rule, string problem)
        : base($"{column}, {buffer}{(row is { } r ? $", row {r}" : "")}: {problem} (rule: {rule}).")
    {
        Column = column;
        Buffer = buffer;
        Row = row;
        Rule = rule;
    }

    /// <summary>The column, with the path inside it for nested data (<c>column 'tags' &gt; list values</c>).</summary>
    public string Column { get; }

    /// <summary>
    /// The buffer at fault: <c>validity bitmap</c>, <c>values</c>, <c>offsets</c>, <c>data</c>, <c>indices</c>,
    /// <c>children</c>, <c>dictionary</c>, or <c>buffers</c> (their number), <c>length</c>, <c>columns</c>.
    /// </summary>
    public string Buffer { get; }

    /// <summary>The first row at fault (a logical row of the array), when the problem is one row's.</summary>
    public long? Row { get; }

    /// <summary>
    /// The rule broken, one of: <c>buffer-count</c>, <c>buffer-size</c>, <c>null-count</c>, <c>offsets-start</c>,
    /// <c>offsets-monotonic</c>, <c>offsets-bound</c>, <c>child-count</c>, <c>child-type</c>, <c>child-length</c>,
    /// <c>dictionary-missing</c>, <c>dictionary-type</c>, <c>dictionary-index</c>, <c>decimal-precision</c>,
    /// <c>column-length</c>, <c>schema</c>, <c>length</c>.
    /// </summary>
    public string Rule { get; }
}

namespace Dsl;

/// <summary>
/// A string expression is not well formed or not well typed. <see cref="Position"/> is the offending
/// character's 0-based index in <see cref="Text"/>, <see cref="Column"/> the same as a 1-based column;
/// the message names the problem and ends with the column.
/// </summary>
public sealed class ExpressionParseException : Exception
{
    /// <summary>Creates the exception for <paramref name="text"/> with the problem at <paramref name="position"/>.</summary>
    public ExpressionParseException(string problem, string text, int position)
        : base($"{problem} (at column {position + 1} of \"{text}\")")
    {
        Problem = problem;
        Text = text;
        Position = position;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>The expression that was parsed.</summary>
    public string Text { get; }

    /// <summary>The 0-based index of the offending character.</summary>
    public int Position { get; }

    /// <summary>The 1-based column of the offending character.</summary>
    public int Column => Position + 1;
}

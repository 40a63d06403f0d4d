namespace Dsl.Engine.Resolvers;

/// <summary>
/// Walks SQL text keeping the line and column (from 1) of the current character, and reads the pieces whose inside
/// is not SQL: quoted strings and identifiers (a doubled quote stays inside), comments, dollar-quoted strings, and
/// <c>${…}</c> parameters.
/// </summary>
internal sealed class SqlScanner(string text, int firstLine)
{
    private int _position;

    public int Line { get; private set; } = firstLine;

    public int Column { get; private set; } = 1;

    public bool AtEnd => _position >= text.Length;

    public char Current => text[_position];

    public bool StartsWith(string prefix) => string.CompareOrdinal(text, _position, prefix, 0, prefix.Length) == 0;

    public void Advance(int count)
    {
        for (var i = 0; i < count && _position < text.Length; i++, _position++)
        {
            if (text[_position] == '\n')
            {
                Line++;
                Column = 1;
            }
            else
            {
                Column++;
            }
        }
    }

    /// <summary>A <c>'…'</c> string or <c>"…"</c> identifier, quotes included.</summary>
    public string Quoted(string file, char quote)
    {
        var (line, column, start) = (Line, Column, _position);
        Advance(1);
        while (true)
        {
            if (AtEnd) throw new SqlResolverException(file, line, $"column {column}: the {(quote == '\'' ? "string" : "quoted identifier")} that starts here is not closed");
            if (Current == quote)
            {
                Advance(1);
                if (AtEnd || Current != quote) break;
            }
            Advance(1);
        }
        return text[start.._position];
    }

    public string UntilEndOfLine()
    {
        var start = _position;
        while (!AtEnd && Current != '\n') Advance(1);
        return text[start.._position];
    }

    public string BlockComment(string file)
    {
        var (line, column, start) = (Line, Column, _position);
        var end = text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
        if (end < 0) throw new SqlResolverException(file, line, $"column {column}: the comment that starts here is not closed with */");
        Advance(end + 2 - _position);
        return text[start.._position];
    }

    /// <summary>The tag of a dollar quote that starts here (<c>$$</c> gives "", <c>$body$</c> gives "body"), or null.</summary>
    public string? DollarQuoteTag()
    {
        if (Current != '$' || StartsWith("${")) return null;
        var end = _position + 1;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) end++;
        if (end >= text.Length || text[end] != '$') return null;
        var tag = text[(_position + 1)..end];
        // $1 and $name are parameters of the source's own syntax, not quotes: a tag does not start with a digit.
        return tag.Length > 0 && char.IsAsciiDigit(tag[0]) ? null : tag;
    }

    public string DollarQuoted(string file, string tag)
    {
        var (line, column, start) = (Line, Column, _position);
        var delimiter = "$" + tag + "$";
        var end = text.IndexOf(delimiter, _position + delimiter.Length, StringComparison.Ordinal);
        if (end < 0) throw new SqlResolverException(file, line, $"column {column}: the dollar-quoted string that starts here is not closed with {delimiter}");
        Advance(end + delimiter.Length - _position);
        return text[start.._position];
    }

    /// <summary>The text between <c>${</c> and <c>}</c>, the scanner moved past the <c>}</c>.</summary>
    public string Parameter(string file)
    {
        var (line, column) = (Line, Column);
        var end = text.IndexOfAny(['}', '\n'], _position + 2);
        if (end < 0 || text[end] != '}') throw new SqlResolverException(file, line, $"column {column}: the parameter that starts here has no closing '}}' on its line");
        var inside = text[(_position + 2)..end];
        Advance(end + 1 - _position);
        return inside;
    }

    /// <summary>Whether only white space and comments remain (the scanner is moved past them).</summary>
    public bool OnlyCommentsRemain()
    {
        while (!AtEnd)
        {
            if (char.IsWhiteSpace(Current)) Advance(1);
            else if (StartsWith("--")) UntilEndOfLine();
            else if (StartsWith("/*") && text.IndexOf("*/", _position + 2, StringComparison.Ordinal) is var end && end >= 0) Advance(end + 2 - _position);
            else return false;
        }
        return true;
    }
}

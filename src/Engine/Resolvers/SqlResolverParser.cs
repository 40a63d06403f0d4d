using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// Parses a SQL resolver: the header (the leading comment lines), then the body, in which <c>${entity.feature}</c>
/// parameters are found outside string literals, quoted identifiers, comments and dollar-quoted strings.
/// </summary>
/// <remarks>
/// Header lines are <c>-- key: value</c> with the keys <c>resolves</c> and <c>source</c> (required), <c>type</c>
/// (<c>online</c>, the default, or <c>offline</c>), <c>timeout</c> (a positive number with <c>ms</c>, <c>s</c> or
/// <c>m</c>) and <c>name</c>. A comment line that does not start with a word and a colon is description; one that does
/// but names no known key is an error (so a misspelt key is never ignored). Blank lines may separate header lines.
/// </remarks>
internal static partial class SqlResolverParser
{
    private static readonly string[] s_keys = ["resolves", "source", "type", "timeout", "name"];

    [GeneratedRegex(@"^--\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:(.*)$")]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m)\s*$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    public static SqlResolver Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var settings = new Dictionary<string, HeaderValue>(StringComparer.Ordinal);
        var description = new List<string>();
        var bodyStart = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            if (!line.StartsWith("--", StringComparison.Ordinal))
            {
                bodyStart = i;
                break;
            }
            ReadHeaderLine(file, i + 1, line, settings, description);
        }

        var entity = Required(file, settings, "resolves", "the entity whose features the columns are, as in '-- resolves: User'");
        var source = Required(file, settings, "source", "the data source to run it on, as in '-- source: warehouse'");
        var kind = settings.TryGetValue("type", out var type) ? Kind(file, type) : ResolverKind.Online;
        var timeout = settings.TryGetValue("timeout", out var limit) ? Timeout(file, limit) : (TimeSpan?)null;
        var name = settings.TryGetValue("name", out var given) ? given.Value : Path.GetFileNameWithoutExtension(file);

        var body = string.Join("\n", lines.Skip(bodyStart));
        var (parameters, parts) = ReadBody(file, body, bodyStart + 1);
        if (parts.All(p => p.Text is not null && p.Text.Trim().Length == 0))
            throw new SqlResolverException(file, Math.Min(bodyStart + 1, lines.Length), "the resolver has no query after its header");
        return new SqlResolver(name, file, entity, source, kind, timeout, string.Join("\n", description), body.Trim(), parameters, parts);
    }

    private static void ReadHeaderLine(string file, int lineNumber, string line, Dictionary<string, HeaderValue> settings, List<string> description)
    {
        var match = SettingLine().Match(line);
        if (!match.Success)
        {
            description.Add(line[2..].Trim());
            return;
        }

        var key = match.Groups[1].Value.ToLowerInvariant();
        var value = match.Groups[2].Value.Trim();
        if (!s_keys.Contains(key))
        {
            var hint = Dsl.Features.FeatureNames.Suggest(key, s_keys) is { } close ? $" (did you mean '{close}'?)" : "";
            throw new SqlResolverException(file, lineNumber,
                $"unknown header setting '{match.Groups[1].Value}'{hint}; the settings are {string.Join(", ", s_keys)} " +
                "(a description line must not start with a word and a colon)");
        }
        if (settings.TryGetValue(key, out var earlier))
            throw new SqlResolverException(file, lineNumber, $"'{key}' is set twice (first on line {earlier.Line})");
        if (value.Length == 0) throw new SqlResolverException(file, lineNumber, $"'{key}' has no value");
        settings[key] = new HeaderValue(value, lineNumber);
    }

    private static HeaderValue Required(string file, Dictionary<string, HeaderValue> settings, string key, string what) =>
        settings.TryGetValue(key, out var value)
            ? value
            : throw new SqlResolverException(file, 1, $"the header has no '-- {key}:' line; it needs {what}");

    private static ResolverKind Kind(string file, HeaderValue type) => type.Value.ToLowerInvariant() switch
    {
        "online" => ResolverKind.Online,
        "offline" => ResolverKind.Offline,
        _ => throw new SqlResolverException(file, type.Line, $"the type '{type.Value}' is not 'online' or 'offline'"),
    };

    private static TimeSpan Timeout(string file, HeaderValue limit)
    {
        var match = Duration().Match(limit.Value);
        if (match.Success)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var milliseconds = match.Groups[2].Value switch { "ms" => amount, "s" => amount * 1000, _ => amount * 60_000 };
            if (milliseconds >= 1 && milliseconds <= int.MaxValue) return TimeSpan.FromMilliseconds(milliseconds);
        }
        throw new SqlResolverException(file, limit.Line, $"the timeout '{limit.Value}' is not a duration from 1 ms to 24 days, written as a number and ms, s or m (as in 250ms, 2s, 1m)");
    }

    /// <summary>
    /// Splits the body into text and parameter uses. Quoted text and comments are copied as they are; a <c>;</c> ends
    /// the statement (only white space and comments may follow it).
    /// </summary>
    private static (IReadOnlyList<SqlParameterReference>, IReadOnlyList<SqlPart>) ReadBody(string file, string body, int firstLine)
    {
        var parameters = new List<SqlParameterReference>();
        var parts = new List<SqlPart>();
        var text = new StringBuilder();
        var scanner = new SqlScanner(body, firstLine);
        while (!scanner.AtEnd)
        {
            var c = scanner.Current;
            if (c is '\'' or '"') text.Append(scanner.Quoted(file, c));
            else if (scanner.StartsWith("--")) text.Append(scanner.UntilEndOfLine());
            else if (scanner.StartsWith("/*")) text.Append(scanner.BlockComment(file));
            else if (scanner.DollarQuoteTag() is { } tag) text.Append(scanner.DollarQuoted(file, tag));
            else if (scanner.StartsWith("${"))
            {
                var index = ReadParameter(file, scanner, parameters);
                if (text.Length > 0) parts.Add(new SqlPart(text.ToString(), -1));
                text.Clear();
                parts.Add(new SqlPart(null, index));
            }
            else if (c == ';')
            {
                var (line, column) = (scanner.Line, scanner.Column);
                scanner.Advance(1);
                if (!scanner.OnlyCommentsRemain())
                    throw new SqlResolverException(file, line, $"column {column}: a resolver holds one statement; the text after this ';' would be a second one");
            }
            else
            {
                text.Append(c);
                scanner.Advance(1);
            }
        }
        if (text.Length > 0) parts.Add(new SqlPart(text.ToString(), -1));
        return (parameters, parts);
    }

    /// <summary>Reads <c>${entity.feature}</c> and returns its index among the distinct parameters (adding it when new).</summary>
    private static int ReadParameter(string file, SqlScanner scanner, List<SqlParameterReference> parameters)
    {
        var (line, column) = (scanner.Line, scanner.Column);
        var inside = scanner.Parameter(file);
        var dot = inside.IndexOf('.', StringComparison.Ordinal);
        var entity = dot < 0 ? "" : inside[..dot].Trim();
        var feature = dot < 0 ? "" : inside[(dot + 1)..].Trim();
        if (!Identifier().IsMatch(entity) || !Identifier().IsMatch(feature))
            throw new SqlResolverException(file, line, $"column {column}: the parameter '${{{inside}}}' is not '${{entity.feature}}' (as in ${{user.id}})");

        var index = parameters.FindIndex(p => string.Equals(p.Entity, entity, StringComparison.OrdinalIgnoreCase)
                                              && string.Equals(p.Feature, feature, StringComparison.OrdinalIgnoreCase));
        if (index >= 0) return index;
        parameters.Add(new SqlParameterReference(entity, feature, line, column));
        return parameters.Count - 1;
    }
}

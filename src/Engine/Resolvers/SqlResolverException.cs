namespace Dsl.Engine.Resolvers;

/// <summary>
/// A SQL resolver is wrong: a bad or missing header line, an unknown entity, source or feature, a malformed
/// <c>${…}</c> parameter, or an output column that maps to no feature. The message starts with the file and line
/// (<c>users.sql:2: …</c>).
/// </summary>
public sealed class SqlResolverException : Exception
{
    /// <summary>An error at <paramref name="line"/> (1-based; 0 when it concerns the whole file) of <paramref name="file"/>.</summary>
    public SqlResolverException(string file, int line, string problem, Exception? inner = null)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}", inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file (or the name given to SQL text that has no file).</summary>
    public string File { get; }

    /// <summary>The line, from 1; 0 when the error concerns the whole resolver.</summary>
    public int Line { get; }

    /// <summary>The problem, without the location.</summary>
    public string Problem { get; }
}

namespace Dsl.Engine.Sources;

/// <summary>What went wrong with a data source.</summary>
public enum DataSourceErrorKind
{
    /// <summary>The database could not be reached (down, refusing connections, shutting down, connection lost).</summary>
    Unavailable,

    /// <summary>The database answered with an error: the query is wrong, or a value failed there.</summary>
    QueryFailed,

    /// <summary>No answer within the time allowed (a resolver's timeout, or the command timeout).</summary>
    Timeout,

    /// <summary>The result has a column whose type has no Arrow counterpart here, or a value that does not fit it.</summary>
    UnsupportedType,
}

/// <summary>
/// A data source failed: names the source and says what happened (<see cref="ErrorKind"/>), so a caller can tell
/// "the database is down" (<see cref="DataSourceErrorKind.Unavailable"/>) from a bad query.
/// </summary>
public sealed class DataSourceException : Exception
{
    /// <summary>An error of <paramref name="source"/> of the given kind.</summary>
    public DataSourceException(string source, DataSourceErrorKind kind, string message, Exception? inner = null)
        : base($"Data source '{source}': {message}", inner)
    {
        SourceName = source;
        ErrorKind = kind;
    }

    /// <summary>The data source's name.</summary>
    public string SourceName { get; }

    /// <summary>What went wrong.</summary>
    public DataSourceErrorKind ErrorKind { get; }
}

using Dsl.Engine.Sources;

namespace Dsl.Cli.Engine;

/// <summary>
/// A data source given on the command line: <c>NAME=duckdb:PATH</c> (a DuckDB database file, or a directory whose Parquet files and
/// directories of Parquet files become views named by them) or <c>NAME=postgres:CONNECTION-STRING</c>.
/// </summary>
internal static class SourceSpec
{
    /// <exception cref="CliException">The text is not NAME=KIND:WHERE, or the source cannot be opened.</exception>
    public static DataSource Open(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var colon = equals < 0 ? -1 : text.IndexOf(':', equals);
        if (equals <= 0 || colon < 0)
            throw CliException.BadInput($"--source '{text}' is not NAME=duckdb:PATH or NAME=postgres:CONNECTION-STRING");
        var name = text[..equals].Trim();
        var kind = text[(equals + 1)..colon].Trim();
        var where = text[(colon + 1)..].Trim();
        try
        {
            return kind.ToLowerInvariant() switch
            {
                "duckdb" => DuckDb(name, where),
                "postgres" or "postgresql" => new PostgresSource(name, where),
                _ => throw CliException.BadInput($"--source '{name}': unknown kind '{kind}'; the kinds are duckdb and postgres"),
            };
        }
        catch (Exception e) when (e is DataSourceException or ArgumentException)
        {
            throw CliException.BadInput($"--source '{name}': {e.Message}", e);
        }
    }

    private static DuckDbSource DuckDb(string name, string path)
    {
        if (path.Length == 0) throw CliException.BadInput($"--source '{name}': duckdb needs a path (a database file, or a directory of Parquet files)");
        if (!Directory.Exists(path))
        {
            if (!File.Exists(path)) throw CliException.BadInput($"--source '{name}': '{Path.GetFullPath(path)}' does not exist");
            return new DuckDbSource(name, new DuckDbSourceOptions { DatabasePath = path });
        }
        var views = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(path, "*.parquet")) views[Path.GetFileNameWithoutExtension(file)] = file;
        foreach (var directory in Directory.EnumerateDirectories(path).Where(d => Directory.EnumerateFiles(d, "*.parquet").Any()))
            views[Path.GetFileName(directory)] = Path.Combine(directory, "*.parquet");
        if (views.Count == 0) throw CliException.BadInput($"--source '{name}': the directory '{Path.GetFullPath(path)}' has no Parquet files");
        return new DuckDbSource(name, new DuckDbSourceOptions { ParquetViews = views });
    }
}

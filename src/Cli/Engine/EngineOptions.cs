using System.CommandLine;

namespace Dsl.Cli.Engine;

/// <summary>What engine <c>dsl query</c> (in process) and <c>dsl serve</c> run: the sample shop, or a user's assembly with SQL resolvers.</summary>
internal sealed record EngineSettings(FileInfo? Assembly, DirectoryInfo? Resolvers, IReadOnlyList<string> Sources, string? Store, int Users);

/// <summary>
/// The options both commands take to say which engine to run: <c>--assembly PATH</c> (feature sets), <c>--resolvers DIR</c> (<c>.sql</c>
/// files), <c>--source NAME=duckdb:PATH</c> or <c>NAME=postgres:CONNECTION</c> (repeatable), <c>--store none|garnet|HOST:PORT</c>, and for the
/// sample shop (no <c>--assembly</c>) <c>--users N</c>.
/// </summary>
internal sealed class EngineOptions
{
    private readonly Option<FileInfo?> _assembly = new("--assembly")
    {
        Description = "Serve the feature sets of this compiled assembly (.dll) instead of the sample shop", HelpName = "PATH",
    };

    private readonly Option<DirectoryInfo?> _resolvers = new("--resolvers")
    {
        Description = "A directory of .sql resolvers (with --assembly)", HelpName = "DIR",
    };

    private readonly Option<string[]> _sources = new("--source")
    {
        Description = "A data source the SQL resolvers name: NAME=duckdb:PATH (a DuckDB file, or a directory whose Parquet files become views) "
                      + "or NAME=postgres:CONNECTION-STRING; repeatable",
        HelpName = "NAME=KIND:WHERE",
    };

    private readonly Option<string?> _store;

    private readonly Option<int> _users = new("--users") { Description = "The sample shop's number of users (without --assembly)", DefaultValueFactory = _ => 1_000 };

    /// <param name="defaultStore">The store when <c>--store</c> is absent: <c>garnet</c> for the server, <c>none</c> in process.</param>
    public EngineOptions(string defaultStore)
    {
        _store = new Option<string?>("--store", "--redis")
        {
            Description = $"The online store: none, garnet (embedded, in process) or a Redis server HOST:PORT (redis://HOST:PORT); {defaultStore} by default",
            HelpName = "STORE",
            DefaultValueFactory = _ => defaultStore,
        };
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _assembly, _resolvers, _sources, _store, _users }) command.Add(option);
    }

    public EngineSettings Read(ParseResult parsed) =>
        new(parsed.GetValue(_assembly), parsed.GetValue(_resolvers), parsed.GetValue(_sources) ?? [], parsed.GetValue(_store), parsed.GetValue(_users));
}

using Dsl.Engine.Graph;
using Dsl.Engine.Planning;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Sources;
using Dsl.Engine.Store;

namespace Dsl.Engine;

public sealed partial class FeatureEngineBuilder
{
    private readonly List<DataSource> _sources = [];
    private readonly List<SqlResolver> _sqlResolvers = [];
    private IOnlineStore? _store;
    private Offline.IOfflineStore? _offline;

    /// <summary>Adds a named data source SQL resolvers run on (<c>-- source: main</c>).</summary>
    public FeatureEngineBuilder AddSource(DataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _sources.Add(source);
        return this;
    }

    /// <summary>Adds a SQL resolver (parsed from a <c>.sql</c> file with its header); bound to its source by <see cref="BuildAsync"/>.</summary>
    public FeatureEngineBuilder AddSqlResolver(SqlResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _sqlResolvers.Add(resolver);
        return this;
    }

    /// <summary>Adds every <c>.sql</c> resolver under <paramref name="directory"/>.</summary>
    public FeatureEngineBuilder AddSqlResolvers(string directory)
    {
        _sqlResolvers.AddRange(SqlResolver.LoadDirectory(directory));
        return this;
    }

    /// <summary>
    /// The online store queries read fresh values from and write computed ones to (features with a nonzero maximum staleness).
    /// The engine does not own it: dispose it after the engine.
    /// </summary>
    public FeatureEngineBuilder UseOnlineStore(IOnlineStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>
    /// The offline store: every value online queries compute is appended to it (with the query's time as its feature time),
    /// bulk ingests write to it, and offline queries read it point in time. The engine does not own it: dispose it after the engine.
    /// </summary>
    public FeatureEngineBuilder UseOfflineStore(Offline.IOfflineStore store)
    {
        _offline = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>
    /// Builds the engine after binding each SQL resolver to its source and describing its columns there (one query each, so the
    /// graph knows every resolver's outputs).
    /// </summary>
    /// <exception cref="EngineDefinitionException">The definitions do not fit together.</exception>
    /// <exception cref="SqlResolverException">A SQL resolver is malformed, names an unknown source or entity, or does not run on its source.</exception>
    public async Task<FeatureEngine> BuildAsync(CancellationToken cancellationToken = default)
    {
        var sets = EngineGraph.EntitySets(_sets);
        var resolvers = new List<IResolver>(_resolvers);
        foreach (var sql in _sqlResolvers)
            resolvers.Add(await SqlResolverAdapter.CreateAsync(sql.Bind(sets, _sources), cancellationToken).ConfigureAwait(false));
        var graph = EngineGraph.Build(sets, resolvers, _preferred, _staleness);
        return new FeatureEngine(graph, BuildStore(), _offline);
    }

    private StoreAccess? BuildStore() => _store is null ? null : new StoreAccess(_store);
}
